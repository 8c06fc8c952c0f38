// The per-iteration path of a read scenario, in Node with k6 stubbed: time per
// call beside a bare `http.get` through the same stub, and the code each VU
// compiles per bundle. The stub is far cheaper than k6's real HTTP client, so
// the ratio here overstates the suite's share; a regression still shows.
import { build } from '../build.mjs';
import { loadBundle } from '../test/helpers/k6.ts';
import * as http from '../test/helpers/k6-stubs/http.mjs';

const N = 200_000;
const { bundles } = await build({ quiet: true, write: false });
for (const b of bundles) console.log(`${b.file.padEnd(22)} bundle ${(b.bytes / 1024).toFixed(1)} KB, compiled per VU ${(b.eager / 1024).toFixed(1)} KB`);

const first = await loadBundle('report', { env: { SEED: '1' } });
const ok = { status: 200, error_code: 0 };
const { mod, rec } = await loadBundle('report', { vu: 1, shared: first.shared, respond: () => ok });

const time = (fn: () => void): number => {
  for (let i = 0; i < 10_000; i++) fn();
  rec.requests.length = 0; rec.metrics.length = 0; rec.checks.length = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    fn();
    if ((i & 0x3fff) === 0) { rec.requests.length = 0; rec.metrics.length = 0; rec.checks.length = 0; }
  }
  return Number(process.hrtime.bigint() - t0) / N;
};
const url = 'http://127.0.0.1:8081/party-api/v1/businesses/id/81a7d9b4-0b44-48e9-a2d5-422d7256cef6';
const bare = time(() => { http.get(url, {}); });
const suite = time(() => mod.id());
console.log(`bare http.get (stub):             ${bare.toFixed(0)} ns per call`);
console.log(`suite iteration (pick, get, classify, count, check): ${suite.toFixed(0)} ns per call`);
console.log(`suite work beyond the request:    ${(suite - bare).toFixed(0)} ns per call`);
