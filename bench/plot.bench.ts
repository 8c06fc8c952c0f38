// Plot a synthetic million-request k6 CSV (gzip) and print where the time goes.
// `tsx bench/plot.bench.ts [--requests N] [--full] [--ndjson] [--keep]`
//   --full    write all ~16 metric lines k6 writes per request, not just http_reqs + http_req_duration

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plot } from '../tools/plot/index.ts';
import { writeSynth } from '../tools/plot/synth.ts';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string, fallback: number) => {
  const k = argv.indexOf(name);
  return k >= 0 ? Number(argv[k + 1]) : fallback;
};

const requests = value('--requests', 1_000_000);
const format = flag('--ndjson') ? 'ndjson' : 'csv';
const dir = await mkdtemp(join(tmpdir(), 'plot-bench-'));
const input = join(dir, `raw.${format}.gz`);
try {
  let t = performance.now();
  await writeSynth(input, { requests, format, gzip: true, full: flag('--full') });
  const genMs = performance.now() - t;
  const size = (await stat(input)).size;
  t = performance.now();
  const r = await plot([input]);
  const total = performance.now() - t;
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  console.log(`input     ${requests.toLocaleString('en-GB')} requests, ${format}${flag('--full') ? ' (all metrics)' : ''}, gzip ${mb(size)} (generated in ${(genMs / 1000).toFixed(1)} s)`);
  console.log(`parse     ${(r.timings.readMs / 1000).toFixed(2)} s`);
  console.log(`render    ${(r.timings.renderMs / 1000).toFixed(2)} s`);
  console.log(`total     ${(total / 1000).toFixed(2)} s`);
  console.log(`html      ${mb(r.htmlBytes)} at ${r.htmlPath}`);
  console.log(`classes   ${JSON.stringify(r.byClass)}`);
  console.log(`heap      ${mb(process.memoryUsage().heapUsed)} used, rss ${mb(process.memoryUsage().rss)}`);
} finally {
  if (!flag('--keep')) await rm(dir, { recursive: true, force: true });
}
