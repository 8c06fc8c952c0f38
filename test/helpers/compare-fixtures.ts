// Writes test/fixtures/compare/*.summary.json: the report's story (docker
// baseline, gunicorn, SimpleCache) as summary models, a smoke run of another
// shape, and two files compare must refuse. Regenerate with
//   npx tsx test/helpers/compare-fixtures.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromReport, makeModel, REPORT_CACHE, REPORT_GUNICORN } from './compare-models.ts';
import { repo } from './k6.ts';

export const FIXTURES = join(repo, 'test/fixtures/compare');

export function writeFixtures(dir = FIXTURES): void {
  mkdirSync(dir, { recursive: true });
  const put = (name: string, doc: unknown) => writeFileSync(join(dir, name), `${JSON.stringify(doc, null, 1)}\n`);
  put('docker.summary.json', makeModel({ label: 'docker', startTime: '2019-01-28T10:00:00.000Z' }));
  put('gunicorn.summary.json', makeModel({ label: 'gunicorn', startTime: '2019-01-29T10:00:00.000Z', success: fromReport(REPORT_GUNICORN), slow: 0.8 }));
  put('simplecache.summary.json', makeModel({ label: 'simplecache', startTime: '2019-01-30T10:00:00.000Z', success: fromReport(REPORT_CACHE), slow: 0.1 }));
  put('smoke.summary.json', makeModel({ label: 'smoke', profile: 'smoke', startTime: '2019-01-31T10:00:00.000Z', counts: [40], offsets: [50, 100, 500], success: () => 99, slow: 0.05 }));
  put('v0.summary.json', { ...makeModel({ label: 'old' }), version: 0 });
  put('v1.summary.json', asVersion1(makeModel({ label: 'v1', startTime: '2019-01-27T10:00:00.000Z' })));
  const bad = makeModel({ label: 'broken' }) as unknown as { scenarios: Array<Record<string, unknown>>; totals: Record<string, unknown> };
  bad.scenarios[2]!.offset = 'fifty';
  delete bad.totals.planned;
  put('invalid.summary.json', bad);
}

/** A model as version 1 wrote it: no notScheduled, statuses, axis, interrupted, generatorLimited. */
export function asVersion1(m: ReturnType<typeof makeModel>): unknown {
  const { axis: _a, interrupted: _i, generatorLimited: _g, ...rest } = m;
  const strip = <T extends { notScheduled: number; statuses: Record<string, number> }>(x: T) => {
    const { notScheduled: _n, statuses: _s, ...r } = x;
    return r;
  };
  return {
    ...rest, version: 1, scenarios: m.scenarios.map(strip), totals: strip(m.totals),
    breakingPoints: m.breakingPoints.map(({ generatorLimitedRates: _r, ...b }) => b),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) writeFixtures();
