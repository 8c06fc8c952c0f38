// The report's methodology, time-compressed: what `npm run replay` hands k6
// and the target at a given speed. Pure (no I/O), so tests check it directly.
import { parseConfig } from '../../lib/config.ts';
import type { Env } from '../../lib/config.ts';
import type { Plan } from '../../lib/plan.ts';
import { resolveOptions } from '../party-service/presets.ts';
import type { TargetOptions } from '../party-service/presets.ts';

/** The report's matrix: 3 GET routes x 100/200/500 requests x 50...2000 ms. */
export const REPORT_ROUTES = ['query', 'id', 'ref'] as const;
export const REPORT_COUNTS = [100, 200, 500] as const;
export const REPORT_OFFSETS = [50, 100, 200, 1000, 2000] as const;
/** The presets replayed, in the report's order: the baseline, then each change. */
export const REPLAY_PRESETS = ['report-baseline', 'pool-100', 'cached'] as const;
/**
 * Client timeout in report time: longer than the pool timeout (30 s) plus a
 * hold, so a pool timeout reaches k6 as the 500 it is, not as No Response.
 */
export const REPORT_TIMEOUT_MS = 35_000;
/**
 * 4.5x: the report's 50 ms becomes 11 ms, so its shortest scenario (100
 * requests) lasts 1.1 s, above k6's 1 s minimum (at 5x it would be 0.995 s);
 * each preset then takes about 12 minutes of k6 time: the three side by side
 * on a machine with two cores per preset, one after another on a smaller one
 * (tools/replay/order.ts).
 */
export const DEFAULT_SPEED = 4.5;

/** Report spacing -> replay spacing in whole ms (k6 scenario names carry it). */
export function scaleOffsets(speed: number, offsets: readonly number[] = REPORT_OFFSETS): number[] {
  if (!(Number.isFinite(speed) && speed > 0)) throw new Error(`--speed must be a number > 0, got ${speed}`);
  return offsets.map((o) => Math.max(1, Math.round(o / speed)));
}

/**
 * A preset's options with every duration divided by the speed: the hold, the
 * pool timeout and the cache TTL. Rates scale up by the same factor, so the
 * number of requests in flight (rate x hold), the queue depths and the
 * connection limit keep their meaning; counts and limits stay as they are.
 */
export function scaledTargetOptions(preset: string, speed: number): Partial<TargetOptions> & { preset: string } {
  const o = resolveOptions({ preset });
  return {
    preset,
    queryDelayMs: Math.round(o.queryDelayMs / speed),
    poolTimeoutMs: Math.round(o.poolTimeoutMs / speed),
    cacheTtlS: o.cacheTtlS / speed,
  };
}

/**
 * The suite's env variables for one preset's run: the report profile narrowed
 * to the report's matrix at the replay's spacing. Routes run side by side
 * (parallel-routes, as the quick profile): one after another, a preset would
 * take three times as long.
 */
export function replayEnv(speed: number, label: string, counts: readonly number[] = REPORT_COUNTS): Env {
  return {
    PROFILE: 'report',
    ROUTES: REPORT_ROUTES.join(','),
    COUNTS: counts.join(','),
    OFFSETS: scaleOffsets(speed).join(','),
    ORDER: 'parallel-routes',
    TIMEOUT: `${Math.round(REPORT_TIMEOUT_MS / speed)}ms`,
    VALIDATE: 'false',
    LABEL: label,
  };
}

/** The plan k6 will run (throws ConfigError naming the fix, e.g. a scenario under 1 s). */
export function replayPlan(speed: number, counts: readonly number[] = REPORT_COUNTS): Plan {
  return parseConfig({ ...replayEnv(speed, 'replay', counts), BASE_URL: 'http://127.0.0.1:8081', DATA_FILE: 'businesses.csv' }, 'report').plan;
}

/** Replay offset (ms) -> the report's offset it stands for. */
export function reportOffsetOf(speed: number): Map<number, number> {
  const scaled = scaleOffsets(speed);
  return new Map(scaled.map((s, i) => [s, REPORT_OFFSETS[i]!]));
}
