// The capacity report docs/images/capacity.png shows: a search of three
// routes as `npm run capacity --routes id,ref,all` records it, built the way
// test/capacity-output.test.ts builds its report (no fixture of a real
// search is kept: one takes minutes of k6). test/docs.test.ts checks it
// against data/schemas/capacity.schema.json.
import { CAPACITY_VERSION, noteFor, type CapacityReport, type ProbeRecord, type RouteCapacity } from '../capacity/model.ts';

const TRUSTWORTHY = { status: 'trustworthy' as const, headline: 'Trustworthy: k6 kept its schedule (0.02 % of requests started over 25 ms late, worst 31 ms) and the machine had room.' };
const BEHIND = { status: 'generator-behind' as const, headline: 'The load generator fell behind: 4.20 % of requests started over 25 ms late (worst 180 ms).' };

function probe(route: string, index: number, rate: number, holds: boolean, over: Partial<ProbeRecord> = {}): ProbeRecord {
  const attempt = over.attempt ?? 1;
  return {
    index, rate, holds, successPct: holds ? 100 : 91.5, p95Ms: holds ? 8 + rate / 100 : 1450, notSent: 0, k6Cpu: 0.1 + rate / 2000, k6CpuPeak: 0.3,
    reasons: holds ? [] : ['success 91.50 % < gate 99.00 %', 'p95 1450.0 ms > 1000 ms'], generator: [],
    verdict: TRUSTWORTHY, lateShare: 0.0002, maxLagMs: 31, attempt, counted: true, stop: null,
    routes: (route === 'all' ? ['query', 'id', 'ref'] : [route]).map((r) => ({
      route: r, planned: rate * 10, sent: rate * 10, success: holds ? rate * 10 : Math.round(rate * 9.15), successPct: holds ? 100 : 91.5,
      notSent: 0, notRun: 0, timeouts: 0, p95Ms: holds ? 9 : 1450, vus: rate * 2 + 1,
    })),
    folder: `probes/${String(index).padStart(2, '0')}-${route}-${rate}${attempt > 1 ? `-retry${attempt - 1}` : ''}`, elapsedMs: 12_000, ...over,
  };
}

const behind = (route: string, index: number, rate: number, attempt: number): ProbeRecord =>
  probe(route, index, rate, true, { verdict: BEHIND, lateShare: 0.042, maxLagMs: 180, attempt, counted: false });

/** A search's result from its probes, as tools/capacity/cli.ts sums them up (test/capacity-output.test.ts uses it too). */
export function result(route: string, probes: ProbeRecord[], over: Partial<RouteCapacity> = {}): RouteCapacity {
  const held = probes.filter((p) => p.holds && p.counted).map((p) => p.rate);
  const failed = probes.filter((p) => p.holds === false && p.counted).map((p) => p.rate);
  const r = {
    route, routes: route === 'all' ? ['query', 'id', 'ref'] : [route],
    capacity: held.length ? Math.max(...held) : null, lower: held.length ? Math.max(...held) : null, upper: failed.length ? Math.min(...failed) : null,
    limitedBy: 'target' as RouteCapacity['limitedBy'], lowerBound: false, totalRate: null as number | null, gate: 99, p95Ms: 1000, stopped: null,
    untrusted: null as RouteCapacity['untrusted'], probes, ...over,
  };
  r.totalRate = r.capacity === null ? null : r.capacity * r.routes.length;
  return { ...r, note: noteFor(r) };
}

export function capacityReport(): CapacityReport {
  const id = result('id', [
    probe('id', 1, 10, true), probe('id', 2, 20, true), probe('id', 3, 40, true), probe('id', 4, 80, true), probe('id', 5, 160, false),
    probe('id', 6, 113, true), probe('id', 7, 134, false), probe('id', 8, 123, true), probe('id', 9, 128, true),
  ]);
  const ref = result('ref', [
    probe('ref', 10, 10, true), probe('ref', 11, 20, true), behind('ref', 12, 40, 1), probe('ref', 13, 40, true, { attempt: 2 }),
    behind('ref', 14, 80, 1), behind('ref', 15, 80, 2), behind('ref', 16, 80, 3),
  ], { limitedBy: 'load generator', lowerBound: true, untrusted: { rate: 80, tries: 3, status: 'generator-behind', headline: BEHIND.headline } });
  const all = result('all', [
    probe('all', 17, 10, true), probe('all', 18, 20, false, { generator: ['k6 used 1.85 of the machine\'s 2 cores'] }),
    probe('all', 19, 14, true), probe('all', 20, 17, true), probe('all', 21, 18, true), probe('all', 22, 19, true),
  ], { limitedBy: 'load generator', lowerBound: true });
  return {
    version: CAPACITY_VERSION, label: 'reference', startTime: '2026-12-01T18:00:00.000Z', durationMs: 264_000,
    target: 'http://127.0.0.1:40123', preset: 'baseline', k6Version: 'v0.49.0', machineCores: 2, interrupted: false,
    settings: { gate: 99, p95Ms: 1000, precision: 0.05, stepSeconds: 10, startRate: 10, maxRate: 2000, pauseSeconds: 3, retries: 2, timeoutMs: 2000 },
    results: [id, ref, all],
  };
}
