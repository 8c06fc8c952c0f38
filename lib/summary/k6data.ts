// Defensive reading of the object k6 passes to handleSummary: any field may
// be missing (user thresholds, --summary-trend-stats, a crashed run), and
// nothing here may throw. k6 v1+ hands over its machine-readable summary
// instead when run with --new-machine-readable-summary (k6 plans it as the
// only form later): it is read into the same shape (test/fixtures/k6-v2.2).

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
  /** k6's legacy summary data, or its machine-readable summary (schema 1.x). */
  format: 'legacy' | 'machine-readable';
  /** The metrics carry k6's own threshold results (the machine-readable summary has none). */
  hasThresholds: boolean;
  /** The k6 release the data names ("v2.2.0"); null when it names none (legacy data). */
  k6Version: string | null;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function readK6Data(data: unknown): K6Data {
  const d = isObject(data) ? data : {};
  if (isObject(d.results) && Array.isArray(d.results.metrics)) {
    // k6 hands these over as Go structs whose trend values are pointers:
    // not numbers to JS until serialised (JSON.stringify dereferences them).
    let plain = d;
    try {
      plain = JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
    } catch {
      // Read what is there as it is.
    }
    return readMachineReadable(plain, isObject(plain.results) ? plain.results : d.results);
  }
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
    format: 'legacy',
    hasThresholds: true,
    k6Version: null,
  };
}

const PERCENTILE = /^p(\d+(?:\.\d+)?)$/;

/** Machine-readable values in legacy names: `p95` -> `p(95)`; a rate's matches/total -> passes/fails. */
function legacyValues(type: unknown, values: unknown): Record<string, number> {
  const v = isObject(values) ? values : {};
  const out: Record<string, number> = {};
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (typeof x !== 'number') continue;
    const p = PERCENTILE.exec(k);
    out[p ? `p(${p[1]})` : k] = x;
  }
  if (type === 'rate' && typeof v.matches === 'number' && typeof v.total === 'number') {
    out.passes = v.matches;
    out.fails = v.total - v.matches;
  }
  return out;
}

/**
 * k6's machine-readable summary (`version` 1.x: config, metadata, results):
 * metrics as a list, trends with avg/min/med/max/p90/p95 only (no p99, no
 * count), checks apart, and no threshold results.
 */
function readMachineReadable(d: Record<string, unknown>, results: Record<string, unknown>): K6Data {
  const metrics: Record<string, K6Metric> = {};
  for (const m of results.metrics as unknown[]) {
    if (isObject(m) && typeof m.name === 'string') metrics[m.name] = { type: typeof m.type === 'string' ? m.type : undefined, values: legacyValues(m.type, m.values) };
  }
  const checks = isObject(results.checks) ? results.checks : {};
  // The legacy `checks` rate (the success gate's metric) is checks_succeeded here.
  for (const m of Array.isArray(checks.metrics) ? checks.metrics : []) {
    if (isObject(m) && m.name === 'checks_succeeded') metrics.checks = { type: 'rate', values: legacyValues('rate', m.values) };
  }
  const config = isObject(d.config) ? d.config : {};
  const seconds = config.duration;
  const runMs = typeof seconds === 'number' && isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
  const meta = isObject(d.metadata) ? d.metadata : {};
  const version = typeof meta.k6_version === 'string' && meta.k6_version ? meta.k6_version.replace(/^v?/, 'v') : null;
  return {
    metrics,
    checks: checksOf({ checks: checks.results }, 0),
    durationMs: runMs ?? 0,
    runMs,
    stdoutTTY: false,
    noColor: false,
    format: 'machine-readable',
    hasThresholds: false,
    k6Version: version,
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
