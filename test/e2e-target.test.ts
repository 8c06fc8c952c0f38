// The built bundles against the reference target, end to end without k6:
// k6's modules are stubbed (test/helpers/k6.ts) but every request is real
// HTTP (test/helpers/sync-http.ts) to a target seeded by tools/seed.ts. This
// checks what unit tests cannot: the URLs, auth and bodies the bundles send
// are what a party service accepts, and its answers pass the validators.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { loadBundle, repo } from './helpers/k6.ts';
import { syncHttp } from './helpers/sync-http.ts';
import { seed } from '../tools/seed.ts';

let child: ChildProcess | undefined;
let baseUrl = '';
let dataFile = '';
const http = syncHttp();

before(async () => {
  // Another process: the requests below block this thread until answered.
  child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'tools/party-service/cli.ts'), '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`target did not start: ${out}`)), 30_000);
    child!.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
  });
  dataFile = join(mkdtempSync(join(tmpdir(), 'party-e2e-')), 'businesses.csv');
  await seed({ baseUrl, count: 40, out: dataFile, progress: 'none' });
});
after(async () => {
  await http.close();
  child?.kill('SIGTERM');
});

const classes = (metrics: Array<{ name: string; tags: Record<string, string> }>) => metrics.filter((m) => m.name === 'party_responses').map((m) => m.tags.class);

test('smoke bundle: preflight passes, and every read of every route is a validated success', async () => {
  const env = { BASE_URL: baseUrl, DATA_FILE: dataFile, VALIDATE: 'true', SEED: '3' };
  const first = await loadBundle('smoke', { env, respond: http.respond });
  first.mod.setup();
  const vu = await loadBundle('smoke', { env, vu: 1, shared: first.shared, respond: http.respond });
  for (let i = 0; i < 20; i++) { vu.mod.query(); vu.mod.id(); vu.mod.ref(); }
  assert.equal(vu.rec.requests.length, 60);
  // Every answer a success (the service takes the credentials in the URL): 60 passing checks, nothing counted.
  assert.deepEqual(classes(vu.rec.metrics), []);
  assert.equal(vu.rec.checks.length, 60);
  assert.ok(vu.rec.checks.every((c) => c.ok));
  // The picks spread over the seeded businesses.
  assert.ok(new Set(vu.rec.requests.map((r) => r.url)).size > 30);
});

/** A loopback port with nothing listening (fetch refuses some well-known ports, so not 9). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

test('wrong credentials: preflight stops the run with the fix; a stopped target gives No Response (refused)', async () => {
  const nobody = `http://127.0.0.1:${await closedPort()}`;
  const bad = await loadBundle('smoke', { env: { BASE_URL: baseUrl, DATA_FILE: dataFile, PARTY_PASSWORD: 'nope' }, respond: http.respond });
  assert.throws(() => bad.mod.setup(), /credentials were rejected \(401\).*PARTY_PASSWORD/);
  const down = await loadBundle('smoke', { env: { BASE_URL: nobody, DATA_FILE: dataFile }, respond: http.respond });
  assert.throws(() => down.mod.setup(), /does not answer/);
  const vu = await loadBundle('smoke', { env: { BASE_URL: nobody, DATA_FILE: dataFile }, vu: 1, shared: down.shared, respond: http.respond });
  vu.mod.id();
  assert.deepEqual(vu.rec.metrics.map((m) => m.tags), [{ class: 'no_response', cause: 'refused' }]);
});

test('writes bundle: every write route succeeds with a validated body, and teardown cleans up', async () => {
  const env = { BASE_URL: baseUrl, VALIDATE: 'true' };
  const first = await loadBundle('writes', { env, respond: http.respond });
  // The write preflight asks the target with OPTIONS; it serves every write route and the teardown's DELETE.
  const warned: string[] = [];
  const warn0 = console.warn;
  console.warn = (...a: unknown[]) => { warned.push(a.join(' ')); };
  let data: unknown;
  try {
    data = first.mod.setup();
  } finally {
    console.warn = warn0;
  }
  assert.equal(first.rec.requests.filter((r) => r.method === 'OPTIONS').length, 4);
  assert.deepEqual(warned, []);
  const vu = await loadBundle('writes', { env, vu: 1, shared: first.shared, respond: http.respond });
  const k6 = (globalThis as unknown as { __k6: { scenario: { name: string; iterationInTest: number } } }).__k6;
  const scenarios = Object.keys(first.mod.options.scenarios) as string[];
  for (const route of ['post_businesses', 'post_parties', 'patch_parties', 'put_link']) {
    const name = scenarios.find((s) => s.startsWith(`${route}_c`))!;
    for (let i = 0; i < 3; i++) {
      k6.scenario = { name, iterationInTest: i };
      vu.mod[route](data);
    }
  }
  assert.deepEqual(classes(vu.rec.metrics), [], JSON.stringify(vu.rec.metrics.map((m) => m.tags)));
  assert.deepEqual(vu.rec.checks.map((c) => c.ok), Array(12).fill(true));
  const logs: string[] = [];
  const [log, warn] = [console.log, console.warn];
  console.log = (...a: unknown[]) => { logs.push(a.join(' ')); };
  console.warn = console.log;
  try {
    first.mod.teardown(data);
  } finally {
    console.log = log;
    console.warn = warn;
  }
  assert.match(logs.join('\n'), /teardown/);
  assert.doesNotMatch(logs.join('\n'), /could not/);
});
