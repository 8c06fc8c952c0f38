// Time to seed N businesses into a fresh reference target (the goal: 10000 in under 30 s).
// Prints figures only: `npx tsx bench/seed.bench.ts [--count 10000] [--concurrency 8]`
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { seed } from '../tools/seed.ts';
import { startTarget } from '../tools/party-service/server.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '8' },
    preset: { type: 'string', default: 'baseline' },
  },
});
const dir = await mkdtemp(path.join(tmpdir(), 'party-seed-bench-'));
const target = await startTarget({ port: 0, preset: values.preset, quiet: true });
try {
  const r = await seed({ baseUrl: target.url, count: Number(values.count), concurrency: Number(values.concurrency), out: path.join(dir, 'b.csv'), progress: 'none' });
  const s = r.elapsedMs / 1000;
  console.log(`seed bench: ${r.count} businesses, concurrency ${values.concurrency}, preset ${values.preset}: ${s.toFixed(1)} s (${(r.count / s).toFixed(0)} POST/s)`);
} finally {
  await target.close();
  await rm(dir, { recursive: true, force: true });
}
