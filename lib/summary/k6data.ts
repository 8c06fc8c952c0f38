// Defensive reading of the object k6 passes to handleSummary: any field may
// be missing (user thresholds, --summary-trend-stats, a crashed run), and
// nothing here may throw.

export interface K6Metric {
  type?: string;
  values?: Record<string, number>;
  thresholds?: Record<string, { ok?: boolean }>;
}

export interface K6Data {
  metrics: Record<string, K6Metric>;
  durationMs: number;
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
    durationMs: typeof dur === 'number' && isFinite(dur) && dur >= 0 ? dur : 0,
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
