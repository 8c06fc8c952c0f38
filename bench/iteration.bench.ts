// The per-iteration path of a read scenario, in Node with k6 stubbed: time per
// call beside a bare `http.get` through the same stub, and the code each VU
// compiles per bundle. The stub is far cheaper than k6's real HTTP client, so
// the ratio here overstates the suite's share; a regression still shows.
import { readFileSync } from 'node:fs';
import { build } from '../build.mjs';
import { loadBundle } from '../test/helpers/k6.ts';
import * as http from '../test/helpers/k6-stubs/http.mjs';

const N = 200_000;
const { bundles, sources } = await build({ quiet: true, write: false });
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
for (const b of bundles) {
  console.log(`${b.file.padEnd(20)} bundle ${kb(b.bytes)}, compiled per VU ${kb(b.eager)} minified (+${kb(sources.validate!.length)} with VALIDATE=true)`);
}

// A real summary body, as /businesses/id/ answers it (for the validating path).
const body = readFileSync(new URL('../test/fixtures/party-api/responses.txt', import.meta.url), 'utf8').split('\n').find((l) => l.startsWith('{"associations":[],"id"'))!;

async function perCall(env: Record<string, string>): Promise<number> {
  const first = await loadBundle('report', { env: { SEED: '1', ...env } });
  const answer = { status: 200, error_code: 0, body };
  const { mod, rec } = await loadBundle('report', { vu: 1, shared: first.shared, respond: () => answer });
  return time(() => mod.id(), rec);
}

function time(fn: () => void, rec?: { requests: unknown[]; metrics: unknown[]; checks: unknown[] }): number {
  const clear = () => { if (rec) { rec.requests.length = 0; rec.metrics.length = 0; rec.checks.length = 0; } };
  for (let i = 0; i < 10_000; i++) fn();
  clear();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    fn();
    if ((i & 0x3fff) === 0) clear();
  }
  return Number(process.hrtime.bigint() - t0) / N;
}

const url = 'http://127.0.0.1:8081/party-api/v1/businesses/id/81a7d9b4-0b44-48e9-a2d5-422d7256cef6';
const plain = await perCall({ VALIDATE: 'false' });
const validating = await perCall({ VALIDATE: 'true' });
const bare = time(() => { http.get(url, {}); }, (globalThis as unknown as { __k6: { requests: unknown[]; metrics: unknown[]; checks: unknown[] } }).__k6);
console.log(`bare http.get (stub):                                  ${bare.toFixed(0)} ns per call`);
console.log(`suite iteration (pick, get, classify, count, check):   ${plain.toFixed(0)} ns per call (${(plain - bare).toFixed(0)} ns beyond the request)`);
console.log(`  + JSON.parse and schema check of the body:           ${validating.toFixed(0)} ns per call`);
