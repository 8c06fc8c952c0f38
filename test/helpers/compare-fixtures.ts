// Writes test/fixtures/compare/*.summary.json: the report's story (docker
// baseline, gunicorn, SimpleCache) as summary models, a smoke run of another
// shape, and two files compare must refuse. Those are version 2 (written
// before schedule lag was measured), so compare reads them through its
// upgrade; behind.summary.json is version 3: docker again, worse, with a load
// generator that fell behind. Regenerate with
//   npx tsx test/helpers/compare-fixtures.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SummaryModel } from '../../lib/summary/model.ts';
import { fromReport, makeModel, REPORT_BASELINE, REPORT_CACHE, REPORT_GUNICORN } from './compare-models.ts';
import { repo } from './k6.ts';

export const FIXTURES = join(repo, 'test/fixtures/compare');

/** The docker run again, 5 points worse and 1.5x slower, while k6 started 3 % of its requests over 25 ms late (limit 1 %): generator-behind. */
export const behindModel = (): SummaryModel => makeModel({
  label: 'behind', startTime: '2019-02-01T10:00:00.000Z', slow: 1.5, late: 8, maxLagMs: 900,
  success: (r, c, o) => Math.max(0, fromReport(REPORT_BASELINE)(r, c, o) - 5),
});

export function writeFixtures(dir = FIXTURES): void {
  mkdirSync(dir, { recursive: true });
  const put = (name: string, doc: unknown) => writeFileSync(join(dir, name), `${JSON.stringify(doc, null, 1)}\n`);
  put('docker.summary.json', asVersion2(makeModel({ label: 'docker', startTime: '2019-01-28T10:00:00.000Z' })));
  put('gunicorn.summary.json', asVersion2(makeModel({ label: 'gunicorn', startTime: '2019-01-29T10:00:00.000Z', success: fromReport(REPORT_GUNICORN), slow: 0.8 })));
  put('simplecache.summary.json', asVersion2(makeModel({ label: 'simplecache', startTime: '2019-01-30T10:00:00.000Z', success: fromReport(REPORT_CACHE), slow: 0.1 })));
  put('smoke.summary.json', asVersion2(makeModel({ label: 'smoke', profile: 'smoke', startTime: '2019-01-31T10:00:00.000Z', counts: [40], offsets: [50, 100, 500], success: () => 99, slow: 0.05 })));
  put('behind.summary.json', behindModel());
  put('v0.summary.json', { ...asVersion2(makeModel({ label: 'old' })), version: 0 });
  put('v1.summary.json', asVersion1(asVersion2(makeModel({ label: 'v1', startTime: '2019-01-27T10:00:00.000Z' }))));
  const bad = asVersion2(makeModel({ label: 'broken' })) as unknown as { scenarios: Array<Record<string, unknown>>; totals: Record<string, unknown> };
  bad.scenarios[2]!.offset = 'fifty';
  delete bad.totals.planned;
  put('invalid.summary.json', bad);
}

type Counts = { notScheduled: number; statuses: Record<string, number> };
/** A model as version 2 wrote it (see asVersion2). */
export type Version2 = Omit<SummaryModel, 'version' | 'generator' | 'verdict' | 'host' | 'scenarios' | 'totals' | 'gates'> & {
  version: 2;
  gates: { successRate: number; p95Ms: number | null; maxNotSent: number | null } | null;
  scenarios: Array<Omit<SummaryModel['scenarios'][number], 'schedule'>>;
  totals: Omit<SummaryModel['totals'], 'schedule'>;
};

/** A model as version 2 wrote it: no schedule (per scenario, in the totals), generator, host, verdict, gates.maxLateShare. */
export function asVersion2(m: SummaryModel): Version2 {
  const { generator: _g, verdict: _v, host: _h, ...rest } = m;
  const strip = <T extends { schedule: unknown }>(x: T): Omit<T, 'schedule'> => {
    const { schedule: _s, ...r } = x;
    return r;
  };
  const gates = m.gates === null ? null : (({ maxLateShare: _l, ...g }) => g)(m.gates);
  return { ...rest, version: 2, gates, scenarios: m.scenarios.map(strip), totals: strip(m.totals) };
}

/** A version-2 model as version 1 wrote it: no notScheduled, statuses, axis, interrupted, generatorLimited. */
export function asVersion1(m: Version2): unknown {
  const { axis: _a, interrupted: _i, generatorLimited: _g, ...rest } = m;
  const strip = <T extends Counts>(x: T) => {
    const { notScheduled: _n, statuses: _s, ...r } = x;
    return r;
  };
  return {
    ...rest, version: 1, scenarios: m.scenarios.map(strip), totals: strip(m.totals),
    breakingPoints: m.breakingPoints.map(({ generatorLimitedRates: _r, ...b }) => b),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) writeFixtures();
