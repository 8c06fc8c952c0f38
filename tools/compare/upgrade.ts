// A version-1 summary.json in the version-2 shape, so compare reads runs
// written before notRun was split. In v1, notRun held both a stopped run's
// cut and what k6 never scheduled; which it was is not recorded, so it stays
// notRun and notScheduled is 0.
import { spansRates } from '../../lib/summary/axis.ts';

type Doc = Record<string, unknown>;
const isObject = (x: unknown): x is Doc => typeof x === 'object' && x !== null && !Array.isArray(x);

export function upgradeV1(doc: Doc): Doc {
  const scenarios = Array.isArray(doc.scenarios) ? doc.scenarios : [];
  const out: Doc = { ...doc, version: 2 };
  out.scenarios = scenarios.map((s) => (isObject(s) ? { ...s, notScheduled: 0, statuses: {} } : s));
  if (isObject(doc.totals)) out.totals = { ...doc.totals, notScheduled: 0, statuses: {} };
  if (Array.isArray(doc.breakingPoints)) out.breakingPoints = doc.breakingPoints.map((b) => (isObject(b) ? { ...b, generatorLimitedRates: [] } : b));
  const steps = scenarios.filter(isObject).map((s) => ({ route: String(s.route), count: Number(s.count), offset: Number(s.offset) }));
  out.axis = spansRates(steps) ? 'rate' : 'offset';
  out.interrupted = null;
  out.generatorLimited = null;
  return out;
}
