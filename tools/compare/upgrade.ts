// Older summary.json files in the current (version-4) shape, so compare reads
// runs written before a field existed.
//
// v1 -> v2: in v1, notRun held both a stopped run's cut and what k6 never
// scheduled; which it was is not recorded, so it stays notRun and
// notScheduled is 0.
// v2 -> v3: schedule lag was not measured, so every `schedule` is null and
// the generator's `late` / `lateShare` / `maxLagMs` are null; its drops and
// unscheduled requests come from what the file has. The verdict is judged as
// for a new run (lib/summary/verdict.ts): from drops and unscheduled requests
// alone, which it says in its reasons, and a warning in the model says that
// the file was upgraded without lag data.
// v3 -> v4: only `windows` was added, and only soak and spike runs have it:
// a v3 file is a v4 one without it.
import { LAG_TOLERANCE_MS } from '../../lib/plan.ts';
import { spansRates } from '../../lib/summary/axis.ts';
import type { GeneratorHealth, Verdict } from '../../lib/summary/model.ts';
import { SUMMARY_VERSION } from '../../lib/summary/model.ts';
import { judge } from '../../lib/summary/verdict.ts';

type Doc = Record<string, unknown>;
const isObject = (x: unknown): x is Doc => typeof x === 'object' && x !== null && !Array.isArray(x);
const count = (x: unknown): number => (typeof x === 'number' && isFinite(x) && x >= 0 ? x : 0);

/** The warning an upgraded file carries (compare shows it beside the run's verdict). */
export const noLagWarning = (from: number): string =>
  `Recorded as summary.json v${from}, before k6's schedule lag was measured: compare read it as v${SUMMARY_VERSION} with no lag data ` +
  '(schedule null); its verdict is judged from drops and unscheduled requests alone.';

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

/** What a v2 file says of its load generator: drops and unscheduled requests, no lag. */
export function generatorOf(doc: Doc): GeneratorHealth {
  const t = isObject(doc.totals) ? doc.totals : {};
  const limited = isObject(doc.generatorLimited) ? doc.generatorLimited : {};
  return {
    toleranceMs: LAG_TOLERANCE_MS,
    late: null, lateShare: null, maxLagMs: null,
    notSent: count(t.notSent),
    notScheduled: count(t.notScheduled),
    droppedWithFreeVUs: count(limited.droppedWithFreeVUs),
    vusBusyMax: null, vusAllocated: null,
  };
}

/**
 * judge() on a document not validated yet: a file too broken to judge gets a
 * not-judged verdict here, and the schema check names what is wrong with it.
 */
function verdictOf(doc: Doc, generator: GeneratorHealth): Verdict {
  const t = doc.totals;
  if (!isObject(t) || typeof t.sent !== 'number') {
    return { status: 'not-judged', headline: 'Not judged: the file has no readable totals.', reasons: [], meaning: '', advice: '' };
  }
  const gates = isObject(doc.gates) ? doc.gates as Parameters<typeof judge>[0]['gates'] : null;
  const setupProblem = typeof doc.setupProblem === 'string' ? doc.setupProblem : undefined;
  return judge({
    totals: t as unknown as Parameters<typeof judge>[0]['totals'], gates, generator,
    ...(setupProblem === undefined ? {} : { setupProblem }),
  });
}

export function upgradeV2(doc: Doc, from = 2): Doc {
  const out: Doc = { ...doc, version: 3 };
  if (Array.isArray(doc.scenarios)) out.scenarios = doc.scenarios.map((s) => (isObject(s) ? { ...s, schedule: null } : s));
  if (isObject(doc.totals)) out.totals = { ...doc.totals, schedule: null };
  const generator = generatorOf(out);
  out.generator = generator;
  out.verdict = verdictOf(out, generator);
  const warnings = Array.isArray(doc.warnings) ? doc.warnings : [];
  out.warnings = [...warnings, noLagWarning(from)];
  return out;
}

/**
 * A document of any version this tool reads (1 to SUMMARY_VERSION) in the
 * current shape; a current one is returned as it is.
 */
export function upgrade(doc: Doc): Doc {
  const from = doc.version;
  const v3 = from === 1 ? upgradeV2(upgradeV1(doc), 1) : from === 2 ? upgradeV2(doc) : doc;
  return v3.version === 3 ? { ...v3, version: 4 } : v3;
}
