// Side by side or one after another: whether the machine has the cores to
// run every preset's k6 and target at once, and how long the replay takes
// either way. Pure, so the tests decide it for any machine.
import { duration } from '../../lib/summary/format.ts';

export type ReplayOrder = 'side by side' | 'in turn';

/**
 * Cores a preset needs to run beside the others: one for its k6, one for its
 * target (a single-threaded Node server in this process). Fewer, and the
 * presets starve each other: k6 falls behind its schedule, the target answers
 * late, and a shape check fails for the machine's sake.
 */
export const CORES_PER_PRESET = 2;

/** The whole replay's time limit per run of presets side by side (the "under 15 minutes"). */
export const REPLAY_BUDGET_MS = 15 * 60_000;

export interface OrderChoice {
  order: ReplayOrder;
  /** Why, in words, for the first lines the replay prints. */
  why: string;
  /** Set when --parallel puts more presets side by side than the cores hold. */
  warning: string | null;
}

/** `force`: --parallel ('side by side') or --in-turn ('in turn'); null: decided by the cores. */
export function replayOrder(presets: number, cores: number, force: ReplayOrder | null = null): OrderChoice {
  const need = CORES_PER_PRESET * presets;
  const enough = cores >= need;
  const c = `${cores} core${cores === 1 ? '' : 's'}`;
  const room = `${c}, ${enough ? 'at least' : 'fewer than'} the ${need} side by side needs, ${CORES_PER_PRESET} per preset`;
  if (presets <= 1) return { order: 'side by side', why: 'one preset', warning: null };
  if (force === 'side by side') {
    return {
      order: 'side by side',
      why: `--parallel; ${room}`,
      warning: enough ? null
        : `${presets} presets side by side on ${c} (--parallel): their k6 and targets compete for CPU, so a run may not be trustworthy; its shape checks then read "not judged"`,
    };
  }
  if (force === 'in turn') return { order: 'in turn', why: `--in-turn; ${c}`, warning: null };
  return enough
    ? { order: 'side by side', why: room, warning: null }
    : { order: 'in turn', why: `${room}; --parallel forces side by side`, warning: null };
}

/** k6 time of the whole replay: the plan's, once side by side, once per preset in turn. */
export function k6TimeMs(planMs: number, presets: number, order: ReplayOrder): number {
  return order === 'in turn' ? planMs * Math.max(1, presets) : planMs;
}

/** The whole replay's time limit: REPLAY_BUDGET_MS side by side, that per preset in turn. */
export function timeBudgetMs(presets: number, order: ReplayOrder): number {
  return order === 'in turn' ? REPLAY_BUDGET_MS * Math.max(1, presets) : REPLAY_BUDGET_MS;
}

/** "k6 time 12 min 5 s per preset, about 36 min 15 s in all; presets a, b, c in turn (...)" */
export function orderLine(planMs: number, presets: readonly string[], c: OrderChoice): string {
  const list = presets.join(', ');
  if (presets.length <= 1) return `k6 time ${duration(planMs)}; preset ${list}`;
  if (c.order === 'in turn') {
    return `k6 time ${duration(planMs)} per preset, about ${duration(k6TimeMs(planMs, presets.length, c.order))} in all; ` +
      `presets ${list} in turn, one k6 and one target at a time (${c.why})`;
  }
  return `k6 time ${duration(planMs)}; presets ${list} side by side (${c.why})`;
}
