// Seeding through the API: N businesses give a CSV of N valid rows and a
// meta file; non-loopback targets are refused; the first failure stops it.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Papa from 'papaparse';
import { checkHost, metaPathFor, refFor, seed, SeedError } from '../tools/seed.ts';
import { startTarget } from '../tools/party-service/server.ts';
import type { RunningTarget } from '../tools/party-service/server.ts';
import { runTool } from './helpers/child.ts';
import { ENV_NAMES } from '../lib/config.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const AUTH = 'Basic ' + Buffer.from('admin:secret').toString('base64');

/**
 * The seed CLI in a child process (async: the target runs in this process),
 * without the suite's variables a developer may have exported (PARTY_USER,
 * BASE_URL, ALLOW_HOSTS...): each test sets the ones it means.
 */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const clean = { ...process.env };
  for (const k of ENV_NAMES) delete clean[k];
  const r = await runTool('tools/seed.ts', args, { ...clean, ...env }, 60_000);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

describe('seed', () => {
  let t: RunningTarget;
  let dir: string;
  before(async () => {
    t = await startTarget({ port: 0, quiet: true });
    dir = await mkdtemp(path.join(tmpdir(), 'party-seed-test-'));
  });
  after(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates N businesses and writes a CSV of N valid rows plus the meta file', async () => {
    const out = path.join(dir, 'businesses.csv');
    const r = await seed({ baseUrl: t.url.replace('http://', 'http://admin:secret@'), count: 25, concurrency: 4, out, progress: 'none' });
    const parsed = Papa.parse<{ id: string; sampleUnitRef: string }>(await readFile(out, 'utf8'), { header: true, skipEmptyLines: true });
    assert.deepEqual(parsed.meta.fields, ['id', 'sampleUnitRef']);
    assert.equal(parsed.data.length, 25);
    assert.equal(new Set(parsed.data.map((d) => d.id)).size, 25);
    parsed.data.forEach((row, i) => {
      assert.match(row.id, UUID);
      assert.equal(row.sampleUnitRef, refFor(i + 1));
    });
    assert.equal(refFor(1), '49900000001');
    const meta = JSON.parse(await readFile(metaPathFor(out), 'utf8')) as Record<string, unknown>;
    assert.equal(metaPathFor(out), path.join(dir, 'businesses.meta.json'));
    assert.deepEqual(Object.keys(meta).sort(), ['collectionExerciseId', 'count', 'createdAt', 'sampleSummaryId', 'target']);
    assert.equal(meta.target, t.url, 'no credentials in the meta file');
    assert.equal(meta.count, 25);
    assert.equal(meta.sampleSummaryId, r.sampleSummaryId);
    // Linked: every business is readable by id and by ref.
    for (const row of [parsed.data[0]!, parsed.data[24]!]) {
      const byId = await fetch(`${t.url}/party-api/v1/businesses/id/${row.id}`, { headers: { authorization: AUTH } });
      assert.equal(byId.status, 200);
      const byRef = await fetch(`${t.url}/party-api/v1/businesses/ref/${row.sampleUnitRef}`, { headers: { authorization: AUTH } });
      assert.equal(((await byRef.json()) as { id: string }).id, row.id);
    }
  });

  it('stops at the first failing status and reports it with the body', async () => {
    await assert.rejects(
      seed({ baseUrl: t.url, password: 'wrong', count: 5, out: path.join(dir, 'x.csv'), progress: 'none' }),
      (e: unknown) => e instanceof SeedError && /answered 401: Unauthorized Access/.test(e.message),
    );
  });

  it('refuses a non-loopback host unless ALLOW_HOSTS names it', () => {
    assert.throws(() => checkHost('http://party.example.org:8080', []), (e: unknown) => e instanceof SeedError && /ALLOW_HOSTS/.test(e.message) && /party\.example\.org/.test(e.message));
    assert.doesNotThrow(() => checkHost('http://party.example.org:8080', ['other', 'party.example.org']));
    for (const ok of ['http://127.0.0.1:1', 'http://localhost:1', 'http://[::1]:1', 'http://127.1.2.3']) assert.doesNotThrow(() => checkHost(ok, []), ok);
  });

  it('the CLI seeds with --count/--out and exits non-zero on failure', async () => {
    const out = path.join(dir, 'cli.csv');
    const okRun = await cli(['--count', '5', '--out', out, '--base-url', t.url]);
    assert.equal(okRun.status, 0, okRun.stderr);
    assert.match(okRun.stdout, /seeded 5 businesses/);
    const bad = await cli(['--count', '5', '--out', out], { BASE_URL: t.url, PARTY_PASSWORD: 'wrong' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /401/);
    const remote = await cli(['--base-url', 'http://10.0.0.1:8081'], { ALLOW_HOSTS: '' });
    assert.equal(remote.status, 1);
    assert.match(remote.stderr, /ALLOW_HOSTS/);
  });
});
