// The degrading preset's known truth: the server numbers read requests in
// arrival order, and from read degradeAfter + 1 on every database session
// holds its connection degradeDelayMs longer. Small numbers here (5 reads,
// 300 ms) so the onset is reached in a second.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parseTargetArgs } from '../tools/party-service/cli.ts';
import { resolveOptions } from '../tools/party-service/presets.ts';
import { startTarget } from '../tools/party-service/server.ts';
import type { RunningTarget } from '../tools/party-service/server.ts';
import { businessBody } from '../tools/seed.ts';

const AUTH = 'Basic ' + Buffer.from('admin:secret').toString('base64');
const SAMPLE = '5a000000-0000-4000-8000-0000000000dd';
const AFTER = 5;
const DELAY = 300;
const FAST_MS = 200;
const SLOW_MS = DELAY * 0.9;

async function timed(base: string, path: string, init: RequestInit = {}) {
  const t0 = performance.now();
  const res = await fetch(base + path, { ...init, headers: { authorization: AUTH, ...init.headers } });
  await res.text();
  return { status: res.status, ms: performance.now() - t0 };
}

/** One linked business (a POST and a PUT: writes, not counted); returns its id. */
async function oneBusiness(base: string): Promise<string> {
  const headers = { 'content-type': 'application/json' };
  const res = await fetch(`${base}/party-api/v1/businesses`, { method: 'POST', headers: { ...headers, authorization: AUTH }, body: JSON.stringify(businessBody(1, SAMPLE)) });
  assert.equal(res.status, 200);
  const { id } = (await res.json()) as { id: string };
  const link = await timed(base, `/party-api/v1/businesses/sample/link/${SAMPLE}`, { method: 'PUT', headers, body: JSON.stringify({ collectionExerciseId: SAMPLE }) });
  assert.equal(link.status, 200);
  return id;
}

/** The value of the metric line starting with `prefix` (name and labels). */
async function metric(base: string, prefix: string): Promise<number> {
  const text = await (await fetch(base + '/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  assert.ok(line, `no metric line starting with ${prefix}`);
  return Number(line.split(' ').pop());
}

/** Five different read routes: all of them count. */
const readPaths = (id: string) => [
  `/party-api/v1/businesses/id/${id}`,
  '/party-api/v1/businesses/ref/49900000001',
  `/party-api/v1/businesses/id/${id}/attributes`,
  `/party-api/v1/parties/type/B/id/${id}`,
  `/party-api/v1/businesses?id=${id}`,
];

describe('degrading preset and knobs', () => {
  it('the preset is the full-speed baseline with the documented onset: 1000 reads, then +1500 ms per session', () => {
    const o = resolveOptions({ preset: 'degrading' });
    assert.deepEqual(
      [o.poolSize, o.maxOverflow, o.poolTimeoutMs, o.cacheTtlS, o.maxConnections, o.queryDelayMs, o.keepAlive, o.degradeAfter, o.degradeDelayMs],
      [5, 10, 30_000, 0, 0, 0, true, 1000, 1500],
    );
    // 5 requests/s on each of 3 routes cross the onset after ~67 s.
    assert.ok(o.degradeAfter / 15 < 120);
    const docs = readFileSync(new URL('../docs/reference-target.md', import.meta.url), 'utf8');
    const row = docs.split('\n').find((l) => l.startsWith('| `degrading` |'));
    assert.ok(row, 'docs/reference-target.md has a degrading row');
    assert.match(row, /1000 read requests/);
    assert.match(row, /1500 ms/);
    assert.match(docs, /--degrade-after N/);
    assert.match(docs, /--degrade-delay-ms N/);
    // Flags override the preset; the other presets never degrade.
    assert.equal(resolveOptions({ preset: 'degrading', degradeAfter: 5 }).degradeAfter, 5);
    assert.equal(resolveOptions({ preset: 'report-baseline' }).degradeAfter, 0);
    assert.deepEqual(parseTargetArgs(['--degrade-after', '5', '--degrade-delay-ms', '300'], {}), {
      ...parseTargetArgs([], {}), degradeAfter: 5, degradeDelayMs: DELAY,
    });
  });

  it('refuses negative or fractional values with a clear message', async () => {
    assert.throws(() => resolveOptions({ degradeAfter: -1 }), /^Error: degradeAfter must be an integer >= 0 \(0 = never degrade\), got -1$/);
    assert.throws(() => resolveOptions({ degradeAfter: 2.5 }), /degradeAfter must be an integer >= 0/);
    assert.throws(() => resolveOptions({ degradeDelayMs: -300 }), /^Error: degradeDelayMs must be a number >= 0, got -300$/);
    assert.throws(() => resolveOptions(parseTargetArgs(['--degrade-after=-1'], {})), /degradeAfter must be an integer >= 0/);
    assert.throws(() => parseTargetArgs(['--degrade-delay-ms', 'slow'], {}), /--degrade-delay-ms expects a number, got 'slow'/);
    await assert.rejects(startTarget({ port: 0, quiet: true, preset: 'degrading', degradeDelayMs: -1 }), /degradeDelayMs must be a number >= 0/);
  });
});

describe(`degrading over HTTP: reads 1..${AFTER} fast, read ${AFTER + 1} on slow`, () => {
  let t: RunningTarget;
  let id: string;
  before(async () => {
    t = await startTarget({ port: 0, quiet: true, preset: 'degrading', degradeAfter: AFTER, degradeDelayMs: DELAY });
    id = await oneBusiness(t.url);
  });
  after(async () => {
    await t?.close();
  });

  it(`read ${AFTER} is fast and read ${AFTER + 1} is the first slow one; writes, unauthorised requests and /metrics are not counted`, async () => {
    // Not counted: the seeding writes above, a 401 and /metrics itself.
    assert.equal((await fetch(`${t.url}/party-api/v1/businesses/id/${id}`)).status, 401);
    assert.equal(await metric(t.url, 'party_target_read_requests_total '), 0);
    const paths = readPaths(id);
    assert.equal(paths.length, AFTER);
    for (const [i, path] of paths.entries()) {
      const r = await timed(t.url, path);
      assert.equal(r.status, 200, path);
      assert.ok(r.ms < FAST_MS, `read ${i + 1} (${path}) took ${r.ms.toFixed(0)} ms, expected < ${FAST_MS} (before the onset)`);
    }
    assert.equal(await metric(t.url, 'party_target_read_requests_total '), AFTER);
    for (const n of [AFTER + 1, AFTER + 2]) {
      const r = await timed(t.url, `/party-api/v1/businesses/id/${id}`);
      assert.equal(r.status, 200);
      assert.ok(r.ms >= SLOW_MS, `read ${n} took ${r.ms.toFixed(0)} ms, expected >= ${SLOW_MS} (after the onset)`);
    }
    // The database stays degraded: a write arriving after the onset is slow too.
    const w = await timed(t.url, `/party-api/v1/businesses/sample/link/${SAMPLE}`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectionExerciseId: SAMPLE }),
    });
    assert.equal(w.status, 200);
    assert.ok(w.ms >= SLOW_MS, `write after the onset took ${w.ms.toFixed(0)} ms`);
    assert.equal(await metric(t.url, 'party_target_read_requests_total '), AFTER + 2);
  });

  it('/metrics shows the knobs and the true onset', async () => {
    const text = await (await fetch(t.url + '/metrics')).text();
    assert.match(text, /^party_target_info\{preset="degrading",.*,degrade_after="5",degrade_delay_ms="300"\} 1$/m);
    assert.match(text, /^# TYPE party_target_degrade_after gauge$/m);
    assert.match(text, /^party_target_degrade_after 5$/m);
    assert.match(text, /^# TYPE party_target_read_requests_total counter$/m);
  });
});

describe('degradeAfter 0 never degrades', () => {
  let t: RunningTarget;
  let id: string;
  before(async () => {
    // A delay is set but never applies.
    t = await startTarget({ port: 0, quiet: true, degradeAfter: 0, degradeDelayMs: DELAY });
    id = await oneBusiness(t.url);
  });
  after(async () => {
    await t?.close();
  });

  it('every read stays fast, and they are still counted', async () => {
    const paths = [...readPaths(id), ...readPaths(id)];
    for (const [i, path] of paths.entries()) {
      const r = await timed(t.url, path);
      assert.equal(r.status, 200, path);
      assert.ok(r.ms < FAST_MS, `read ${i + 1} took ${r.ms.toFixed(0)} ms, expected < ${FAST_MS}`);
    }
    assert.equal(await metric(t.url, 'party_target_read_requests_total '), paths.length);
    assert.equal(await metric(t.url, 'party_target_degrade_after '), 0);
  });
});
