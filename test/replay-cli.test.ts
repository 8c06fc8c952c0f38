// `npm run replay` end to end with a fake k6 (K6_BIN): a node script that
// answers `version`, and for `run` copies the summary.json prepared for its
// preset (the report's own result sets at the replay's spacing, as v3
// summaries; FAKE_BEHIND names the presets whose verdict says the load
// generator fell behind). It exits at once, before the first machine sample,
// so each verdict stays the one prepared. The reference targets are real
// (seeded with a few businesses); nothing loads them.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SummaryModel } from '../lib/summary/model.ts';
import { upgrade } from '../tools/compare/upgrade.ts';
import { REPORT_OFFSETS, scaleOffsets } from '../tools/replay/speed.ts';
import { runTool } from './helpers/child.ts';
import { repo } from './helpers/k6.ts';

const FAKE_K6 = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
if (args[0] === 'version') { console.log('k6 v0.49.0 (fake)'); process.exit(0); }
const vars = {};
for (let i = 0; i < args.length; i++) if (args[i] === '-e') { const [k, ...v] = args[++i].split('='); vars[k] = v.join('='); }
const behind = (process.env.FAKE_BEHIND || '').split(',').includes(vars.LABEL);
const doc = JSON.parse(fs.readFileSync(path.join(process.env.FAKE_SUMMARIES, vars.LABEL + '.json'), 'utf8'));
if (behind) {
  const late = Math.round(doc.totals.sent * 0.05);
  doc.generator = { ...doc.generator, late, lateShare: late / doc.totals.sent, maxLagMs: 400 };
  doc.verdict = { status: 'generator-behind', headline: 'The load generator fell behind: 5.00 % of requests started over 25 ms late (worst 400 ms).', reasons: [], meaning: '', advice: '' };
}
fs.writeFileSync(path.join(vars.SUMMARY_DIR, 'summary.json'), JSON.stringify(doc));
process.exit(behind ? 99 : 0);
`;

/** Each preset's stand-in: the report's result set of the service it models. */
const STAND_INS: Record<string, string> = { 'report-baseline': 'docker', 'pool-100': 'gunicorn', cached: 'simplecache' };

let dir: string;
let fakeK6: string;
let summaries: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'replay-cli-'));
  fakeK6 = path.join(dir, 'k6');
  await writeFile(fakeK6, FAKE_K6);
  await chmod(fakeK6, 0o755);
  summaries = path.join(dir, 'summaries');
  await mkdir(summaries);
  const scaled = new Map<number, number>(REPORT_OFFSETS.map((o, i) => [o, scaleOffsets(4.5)[i]!]));
  for (const [preset, label] of Object.entries(STAND_INS)) {
    const m = JSON.parse(await readFile(path.join(repo, 'test', 'fixtures', 'compare', `${label}.summary.json`), 'utf8')) as SummaryModel;
    const doc = upgrade({ ...m, label: preset, scenarios: m.scenarios.map((s) => ({ ...s, offset: scaled.get(s.offset)! })) } as unknown as Record<string, unknown>);
    await writeFile(path.join(summaries, `${preset}.json`), JSON.stringify(doc));
  }
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = (over: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH, HOME: process.env.HOME, K6_BIN: fakeK6, FAKE_SUMMARIES: summaries, SEED: '7', ...over,
});
const replay = (args: string[], e: NodeJS.ProcessEnv) => runTool('tools/replay/cli.ts', ['--count', '30', '--params', '5', ...args], e, 120_000);
const lineOf = (out: string, re: RegExp): number => out.split('\n').findIndex((l) => re.test(l));

describe('npm run replay: a preset whose run was not trustworthy is not judged', () => {
  it('--in-turn, pool-100 behind: one preset after another, its check "not judged", exit 0', async () => {
    const out = path.join(dir, 'in-turn');
    const r = await replay(['--in-turn', '--out', out], env({ FAKE_BEHIND: 'pool-100' }));
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /presets report-baseline, pool-100, cached in turn, one k6 and one target at a time \(--in-turn; \d+ cores?\)/);
    assert.match(r.stdout, /k6 time 12 min 5 s per preset, about 36 min 15 s in all/);
    // Each preset's target starts after the one before it ran.
    const ran = (p: string) => lineOf(r.stdout, new RegExp(`^\\[replay\\] ${p}: k6 exited`));
    const started = (p: string) => lineOf(r.stdout, new RegExp(`^\\[replay\\] ${p}: target http`));
    assert.ok(ran('report-baseline') < started('pool-100') && ran('pool-100') < started('cached'), r.stdout);
    assert.match(r.stdout, /^\[replay\] pool-100: verdict: The load generator fell behind: 5\.00 %/m);
    assert.match(r.stdout, /^\[replay\] pool-100: not judged: its shape checks read "not judged", never FAIL$/m);
    assert.match(r.stdout, /^ {2}not judged {2}pool-100: at least 99 % at every spacing \(lowest [\d.]+ %\): pool-100's run was not trustworthy: The load generator fell behind/m);
    assert.doesNotMatch(r.stdout, /^ {2}FAIL/m);
    assert.match(r.stdout, /^ {2}ok {4}the whole replay under 45 minutes \(15 per preset, in turn\)/m);
    const meta = JSON.parse(await readFile(path.join(out, 'replay-run.json'), 'utf8')) as { order: string };
    assert.equal(meta.order, 'in turn');
    assert.match(await readFile(path.join(out, 'replay.md'), 'utf8'), /^- not judged: pool-100: at least 99 %/m);

    // --from reads each verdict again from the presets' summaries.
    const again = await runTool('tools/replay/cli.ts', ['--from', out], env(), 60_000);
    assert.equal(again.code, 0, again.stderr + again.stdout);
    assert.match(again.stdout, /^ {2}not judged {2}pool-100: /m);
  });

  it('trustworthy, the same figures FAIL pool-100\'s check: exit 1', async () => {
    const r = await replay(['--in-turn', '--presets', 'pool-100', '--out', path.join(dir, 'judged')], env());
    assert.equal(r.code, 1, r.stderr + r.stdout);
    assert.match(r.stdout, /^ {2}FAIL {2}pool-100: at least 99 % at every spacing/m);
    assert.match(r.stdout, /k6 time 12 min 5 s; preset pool-100;/);
  });

  it(`--parallel, every preset behind: side by side, nothing judged, exit 3`, async () => {
    const r = await replay(['--parallel', '--out', path.join(dir, 'parallel')], env({ FAKE_BEHIND: 'report-baseline,pool-100,cached' }));
    assert.equal(r.code, 3, r.stderr + r.stdout);
    assert.match(r.stdout, /presets report-baseline, pool-100, cached side by side \(--parallel; /);
    // Every target up before any k6 ran.
    const lastTarget = Math.max(...['report-baseline', 'pool-100', 'cached'].map((p) => lineOf(r.stdout, new RegExp(`^\\[replay\\] ${p}: target http`))));
    assert.ok(lastTarget < lineOf(r.stdout, /k6 exited/), r.stdout);
    assert.equal(r.stdout.match(/^ {2}not judged {2}/gm)?.length, 5);
    assert.match(r.stdout, /^\[replay\] exit 3: nothing could be judged: no preset's run was trustworthy \(report-baseline, pool-100, cached\)/m);
  });

  it('refuses --parallel with --in-turn (exit 2)', async () => {
    const r = await replay(['--parallel', '--in-turn'], env());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--parallel and --in-turn both given: pick one/);
  });
});
