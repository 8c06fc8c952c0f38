// Can this run be trusted? Its figures describe the target only if k6 kept
// its schedule (schedule lag, drops, ticks never scheduled) and the machine
// it ran on had room. Pure: handleSummary judges from k6's data alone, and a
// Node command that sampled the machine judges again with those samples.
import type { GeneratorHealth, HostHealth, HostSample, SummaryModel, Verdict } from './model.ts';
import { GENERATOR_ADVICE } from './shortfall.ts';

/** The lag verdict's limit when the profile has no lag gate (GATE_LAG=off): 1 % late. */
export const DEFAULT_LATE_SHARE = 0.01;
/** A sample where the machine is at least this busy counts as saturated. */
export const BUSY_LIMIT = 0.9;
/** The machine was saturated when this share of the run's samples were. */
export const SATURATED_SHARE = 0.25;
/** Samples kept in summary.json: one an interval for an hour, evenly thinned beyond. */
export const HOST_MAX_SAMPLES = 3600;

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.001 && x > 0 ? 3 : 2)} %`;
const ms = (x: number | null): string => (x === null ? 'n/a' : `${Math.round(x)} ms`);

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Every k-th sample so that at most `max` are kept (the first and the spread survive). */
export function thin<T>(xs: T[], max = HOST_MAX_SAMPLES): T[] {
  if (xs.length <= max) return xs;
  const step = xs.length / max;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(xs[Math.floor(i * step)]!);
  return out;
}

/** The machine's figures from its samples. */
export function hostHealth(samples: HostSample[], cores: number, intervalMs: number): HostHealth {
  const cpu = samples.map((s) => s.k6Cpu).filter((x): x is number => x !== null);
  const busy = samples.map((s) => s.busy).filter((x): x is number => x !== null);
  return {
    cores, intervalMs,
    samples: thin(samples),
    k6CpuMedian: median(cpu),
    k6CpuPeak: cpu.length ? Math.max(...cpu) : null,
    busyMedian: median(busy),
    saturatedShare: busy.length ? busy.filter((b) => b >= BUSY_LIMIT).length / busy.length : null,
  };
}

type Judged = Pick<SummaryModel, 'totals' | 'gates' | 'setupProblem'> & { generator?: GeneratorHealth; host?: HostHealth };

/** Whether the late share passes the limit the verdict uses (the lag gate's, else 1 %). */
export function lateLimit(m: Pick<SummaryModel, 'gates'>): number {
  const g = m.gates && m.gates.maxLateShare;
  return typeof g === 'number' ? g : DEFAULT_LATE_SHARE;
}

/** The verdict every format shows first. */
export function judge(m: Judged): Verdict {
  const g = m.generator;
  const h = m.host;
  if (m.totals.sent === 0) {
    return {
      status: 'not-judged',
      headline: m.setupProblem ? 'Not judged: no planned request was sent (setup refused the run).' : 'Not judged: no planned request was sent.',
      reasons: [], meaning: '', advice: '',
    };
  }
  const reasons: string[] = [];
  let behind = false;
  if (g) {
    const limit = lateLimit(m);
    if (g.late !== null && g.lateShare !== null) {
      const over = g.lateShare > limit;
      behind = behind || over;
      reasons.push(`${g.late} of ${m.totals.sent} requests (${pct(g.lateShare)}) started over ${g.toleranceMs} ms after their planned time, worst ${ms(g.maxLagMs)}; the limit is ${pct(limit)}.`);
      if (over && g.notSent > 0) reasons.push(`${g.notSent} request(s) were dropped: a drop takes no iteration number, so the starts after it read up to one spacing later each; the worst lag is an upper bound.`);
    } else {
      reasons.push('k6\'s data had no schedule lag (a bundle from before it was measured): judged from drops and unscheduled requests alone.');
    }
    if (g.notScheduled > 0) {
      behind = true;
      reasons.push(`${g.notScheduled} planned request(s) were never scheduled: k6 fell behind its own clock.`);
    }
    if (g.droppedWithFreeVUs > 0) {
      behind = true;
      reasons.push(`${g.droppedWithFreeVUs} request(s) were dropped while VUs were free.`);
    }
  }
  let saturated = false;
  if (h) {
    const share = h.saturatedShare;
    saturated = share !== null && share >= SATURATED_SHARE;
    const cpu = h.k6CpuMedian === null ? 'n/a' : `${h.k6CpuMedian.toFixed(2)} of ${h.cores} cores (peak ${(h.k6CpuPeak ?? 0).toFixed(2)})`;
    reasons.push(`The machine was at least ${Math.round(BUSY_LIMIT * 100)} % busy in ${share === null ? 'n/a' : pct(share)} of ${h.samples.length} one-second samples (median ${h.busyMedian === null ? 'n/a' : pct(h.busyMedian)}); k6 used a median ${cpu}.`);
  }
  if (saturated) {
    return {
      status: 'saturated',
      headline: `The machine was saturated: at least ${Math.round(BUSY_LIMIT * 100)} % busy for ${pct(h!.saturatedShare!)} of the run${behind ? ', and k6 fell behind its schedule' : ''}.`,
      reasons,
      meaning: 'k6 and whatever else ran here (the target too, if it is local) waited for CPU: latencies and timeouts may be this machine\'s, not the target\'s.',
      advice: 'Give k6 a machine of its own (run the target elsewhere) or a bigger one, and run one load test at a time on it.',
    };
  }
  if (behind) {
    const late = g && g.lateShare !== null ? `${pct(g.lateShare)} of requests started over ${g.toleranceMs} ms late (worst ${ms(g.maxLagMs)})` : 'k6 did not send its plan on time';
    return {
      status: 'generator-behind',
      headline: `The load generator fell behind: ${late}${g && g.notScheduled > 0 ? `, ${g.notScheduled} never scheduled` : ''}.`,
      reasons,
      meaning: 'The target saw less load than planned, and the latency and timeouts of the late requests may be k6\'s own: these figures describe the load generator as much as the target.',
      advice: `Fewer VUs per load generator, or more generators: ${GENERATOR_ADVICE}`,
    };
  }
  return {
    status: 'trustworthy',
    headline: g && g.lateShare !== null
      ? `Trustworthy: k6 kept its schedule (${pct(g.lateShare)} of requests started over ${g.toleranceMs} ms late, worst ${ms(g.maxLagMs)})${h ? ' and the machine had room' : ''}.`
      : `Trustworthy as far as k6's data tells: nothing dropped while VUs were free, nothing unscheduled${h ? ', and the machine had room' : ''}.`,
    reasons, meaning: '', advice: '',
  };
}

/** A model with the machine's samples added and judged again (npm start, capacity, replay). */
export function withHost<M extends Judged & { verdict?: Verdict }>(m: M, host: HostHealth): M {
  const out = { ...m, host };
  out.verdict = judge(out);
  return out;
}

/** One line for a terminal or a log. */
export function verdictLine(v: Verdict): string {
  return v.status === 'trustworthy' || v.status === 'not-judged' ? v.headline : `${v.headline} ${v.advice}`;
}
