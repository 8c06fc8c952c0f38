// Throughput of the reference target on GET /businesses/id/<uuid>.
// Prints figures only (no assertion): `npx tsx bench/target.bench.ts [--preset baseline] [--seconds 5] [--connections 50]`
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { startTarget } from '../tools/party-service/server.ts';
import { seed } from '../tools/seed.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface Histogram { average: number; mean: number; p50: number; p90: number; p97_5: number; p99: number; max: number; min: number }
interface AutocannonResult { requests: Histogram & { total: number; sent: number }; latency: Histogram; errors: number; timeouts: number; non2xx: number; '2xx': number; duration: number }
interface AutocannonRequest { path?: string; method?: string }
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'baseline' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    count: { type: 'string', default: '2000' },
  },
});

const dir = await mkdtemp(path.join(tmpdir(), 'party-bench-'));
const target = await startTarget({ port: 0, preset: values.preset, quiet: true });
try {
  const s = await seed({ baseUrl: target.url, count: Number(values.count), concurrency: 16, out: path.join(dir, 'b.csv'), progress: 'none' });
  const ids = (await readFile(s.csvPath, 'utf8')).trim().split('\n').slice(1).map((l) => l.split(',')[0]);
  let i = 0;
  const r = await autocannon({
    url: target.url,
    connections: Number(values.connections),
    duration: Number(values.seconds),
    headers: { authorization: 'Basic ' + Buffer.from('admin:secret').toString('base64') },
    requests: [{ setupRequest: (req: AutocannonRequest) => ({ ...req, method: 'GET', path: `/party-api/v1/businesses/id/${ids[i++ % ids.length]}` }) }],
  });
  console.log(`target bench: preset ${values.preset}, GET /businesses/id/<uuid>, ${values.connections} connections, ${r.duration.toFixed(1)} s, ${ids.length} businesses`);
  console.log(`  requests: ${r.requests.total} total, ${r.requests.average.toFixed(0)} req/s average (min ${r.requests.min}, max ${r.requests.max} per second)`);
  console.log(`  latency ms: p50 ${r.latency.p50}, p90 ${r.latency.p90}, p99 ${r.latency.p99}, max ${r.latency.max}, mean ${r.latency.mean.toFixed(2)}`);
  console.log(`  2xx ${r['2xx']}, non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}`);
} finally {
  await target.close();
  await rm(dir, { recursive: true, force: true });
}
