// Issue 12 item 2: a BASE_URL with credentials is refused without printing
// the password (http://admin:***@127.0.0.1:9), in every place a URL is
// printed: config errors (Node and the bundle's init context, which is what
// k6 prints), preflight errors, the banner, the summary, npm start, seeding,
// compare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskCredentials, stripUserinfo } from '../lib/summary/redact.ts';
import { ConfigError, ENV_NAMES, parseConfig } from '../lib/config.ts';
import { preflightProblem } from '../lib/preflight.ts';
import { prepare } from '../lib/cold/init.ts';
import { handleSummary } from '../lib/summary/entry.ts';
import { checkHost } from '../tools/seed.ts';
import { run as compare } from '../tools/compare/run.ts';
import { loadBundle } from './helpers/k6.ts';
import { runTool } from './helpers/child.ts';
import { syntheticData } from './helpers/summary-data.ts';

const PASSWORD = 'Hunter2-pw';
const WITH_CREDS = `http://admin:${PASSWORD}@127.0.0.1:9`;
const MASKED = 'http://admin:***@127.0.0.1:9';

test('maskCredentials keeps the user, hides the password, and masks a bare token whole', () => {
  assert.equal(maskCredentials(WITH_CREDS), MASKED);
  assert.equal(maskCredentials(`BASE_URL="${WITH_CREDS}/x" and https://tok3n@example.org/a`), `BASE_URL="${MASKED}/x" and https://***@example.org/a`);
  // Nothing to mask: hosts with ports, paths with @ and colons are left alone.
  for (const s of ['http://127.0.0.1:8081', 'http://127.0.0.1:8081/a:b@c', 'plain text: user@example.org']) assert.equal(maskCredentials(s), s);
  assert.equal(stripUserinfo(WITH_CREDS), 'http://127.0.0.1:9');
});

test('config error: refused, shown masked, the password nowhere', () => {
  assert.throws(() => parseConfig({ BASE_URL: WITH_CREDS }, 'smoke'), (e: Error) => {
    assert.ok(e instanceof ConfigError);
    assert.ok(e.message.includes(`BASE_URL="${MASKED}": expected an http(s) URL without credentials`), e.message);
    assert.ok(!e.message.includes(PASSWORD));
    return true;
  });
});

test('the bundle refuses it in its init context (what k6 prints), and the cold part before any banner', async () => {
  await assert.rejects(loadBundle('smoke', { env: { BASE_URL: WITH_CREDS } }), (e: Error) => {
    assert.ok(e.message.includes(MASKED), e.message);
    assert.ok(!e.message.includes(PASSWORD));
    return true;
  });
  assert.throws(() => prepare({ BASE_URL: WITH_CREDS }, 'writes', 1), (e: Error) => !e.message.includes(PASSWORD) && e.message.includes(MASKED));
  // The banner of an accepted run names the target as given.
  assert.match(prepare({ BASE_URL: 'http://127.0.0.1:9' }, 'smoke', 1).banner[0]!, /target http:\/\/127\.0\.0\.1:9,/);
});

test('preflight errors mask the target', () => {
  const m = preflightProblem({ status: 0, error: 'dial: connection refused', body: '' }, WITH_CREDS, 'f.csv')!;
  assert.ok(m.includes(`preflight against ${MASKED} failed`), m);
  assert.ok(!m.includes(PASSWORD));
});

test('summary: a target with credentials reaches no output file', () => {
  const env = { BASE_URL: WITH_CREDS, LABEL: 'creds' };
  const out = handleSummary(syntheticData(parseConfig({}, 'smoke').plan), { env, profile: 'smoke', seed: 1, now: Date.UTC(2026, 0, 1) });
  assert.ok(Object.keys(out).length >= 5);
  for (const [file, text] of Object.entries(out)) {
    assert.ok(!text.includes(PASSWORD), `${file} leaks the password`);
    assert.ok(!text.includes('admin:'), `${file} shows the userinfo`);
  }
  assert.match(out.stdout!, /target http:\/\/127\.0\.0\.1:9\b/);
});

test('seeding: a URL it cannot parse is named masked', () => {
  assert.throws(() => checkHost(`http://admin:${PASSWORD}@127.0.0.1:99999`, []), (e: Error) => !e.message.includes(PASSWORD) && e.message.includes('admin:***@'));
});

test('compare: a summary whose target carries credentials is refused without echoing them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'party-perf-redact-'));
  try {
    // A summary.json as this version writes it, then its target edited by hand.
    const written = handleSummary(syntheticData(parseConfig({}, 'smoke').plan), { env: { BASE_URL: 'http://127.0.0.1:9' }, profile: 'smoke', seed: 1, now: Date.UTC(2026, 0, 1) });
    const text = Object.entries(written).find(([k]) => k.endsWith('summary.json'))![1];
    const good = join(dir, 'good.summary.json');
    writeFileSync(good, text);
    const doc = JSON.parse(text) as { target: string };
    doc.target = WITH_CREDS;
    const file = join(dir, 'creds.summary.json');
    writeFileSync(file, JSON.stringify(doc));
    const out: string[] = [];
    const code = compare([good, file, '--no-html'], { out: (s) => out.push(s), err: (s) => out.push(s) });
    assert.equal(code, 2);
    assert.match(out.join(''), /creds\.summary\.json: not a valid summary\.json/);
    assert.match(out.join(''), /^\s+at \/target: /m);
    assert.ok(!out.join('').includes(PASSWORD));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('npm start: refused before anything starts, the password in no output', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'party-perf-redact-run-'));
  try {
    const fake = join(dir, 'k6.cjs');
    writeFileSync(fake, "#!/usr/bin/env node\nif (process.argv[2] === 'version') console.log('k6 v0.49.0 (fake)'); else process.exit(3);\n", { mode: 0o755 });
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of ENV_NAMES) delete env[k];
    const r = await runTool('tools/run.ts', ['--results-dir', join(dir, 'results')], { ...env, K6_BIN: fake, BASE_URL: WITH_CREDS }, 60_000);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(r.stderr.includes(MASKED), r.stderr);
    assert.ok(!`${r.stdout}${r.stderr}`.includes(PASSWORD));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
