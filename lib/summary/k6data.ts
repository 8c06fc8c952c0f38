// Defensive reading of the object k6 passes to handleSummary: any field may
// be missing (user thresholds, --summary-trend-stats, a crashed run), and
// nothing here may throw.

export interface K6Metric {
  type?: string;
  values?: Record<string, number>;
  thresholds?: Record<string, { ok?: boolean }>;
}

/** A check as k6 reports it in root_group (and nested groups). */
export interface K6Check {
  name: string;
  passes: number;
  fails: number;
}

export interface K6Data {
  metrics: Record<string, K6Metric>;
  checks: K6Check[];
  durationMs: number;
  /** state.testRunDurationMs as given; null when k6 did not report it. */
  runMs: number | null;
  stdoutTTY: boolean;
  noColor: boolean;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function readK6Data(data: unknown): K6Data {
  const d = isObject(data) ? data : {};
  const state = isObject(d.state) ? d.state : {};
  const options = isObject(d.options) ? d.options : {};
  const dur = state.testRunDurationMs;
  return {
    metrics: (isObject(d.metrics) ? d.metrics : {}) as Record<string, K6Metric>,
    checks: checksOf(d.root_group, 0),
    durationMs: typeof dur === 'number' && isFinite(dur) && dur >= 0 ? dur : 0,
    runMs: typeof dur === 'number' && isFinite(dur) && dur >= 0 ? dur : null,
    stdoutTTY: state.isStdOutTTY === true,
    noColor: options.noColor === true,
  };
}

/** A finite number from a metric's values, or null. */
export function value(m: K6Metric | undefined, stat: string): number | null {
  const v = m && isObject(m.values) ? m.values[stat] : undefined;
  return typeof v === 'number' && isFinite(v) ? v : null;
}

/** A counter's count; null when the sub-metric is absent. */
export function count(m: K6Metric | undefined): number | null {
  const v = value(m, 'count');
  return v === null ? null : Math.max(0, Math.round(v));
}

/** Every check of a group and its subgroups (bounded depth: data may be odd). */
function checksOf(group: unknown, depth: number): K6Check[] {
  if (!isObject(group) || depth > 8) return [];
  const own = Array.isArray(group.checks) ? group.checks : [];
  const out: K6Check[] = [];
  for (const c of own) {
    if (isObject(c) && typeof c.name === 'string') {
      out.push({ name: c.name, passes: typeof c.passes === 'number' ? c.passes : 0, fails: typeof c.fails === 'number' ? c.fails : 0 });
    }
  }
  for (const g of Array.isArray(group.groups) ? group.groups : []) out.push(...checksOf(g, depth + 1));
  return out;
}
