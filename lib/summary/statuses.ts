// The HTTP statuses behind 404 / 500 / Other: the glue fails a check named
// statusCheckName(scenario, status) once per answer whose status is neither
// the expected one nor 0, and checks reach handleSummary by name
// (root_group.checks) with `fails` as the count, no threshold needed.
import { STATUS_CHECK_PREFIX } from '../plan.ts';
import type { K6Check } from './k6data.ts';

/** scenario -> status -> answers. */
export function statusesByScenario(checks: K6Check[]): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const c of checks) {
    if (!c.name.startsWith(STATUS_CHECK_PREFIX) || !(c.fails > 0)) continue;
    const rest = c.name.slice(STATUS_CHECK_PREFIX.length);
    const bar = rest.lastIndexOf(' | ');
    if (bar < 0) continue;
    const status = rest.slice(bar + 3).trim();
    if (!/^\d{1,3}$/.test(status)) continue;
    const scenario = rest.slice(0, bar);
    const mine = out.get(scenario) ?? {};
    mine[status] = (mine[status] ?? 0) + Math.round(c.fails);
    out.set(scenario, mine);
  }
  return out;
}

/** Sum of several status maps. */
export function addStatuses(into: Record<string, number>, from: Record<string, number>): Record<string, number> {
  for (const k of Object.keys(from)) into[k] = (into[k] ?? 0) + from[k]!;
  return into;
}

/** Statuses in numeric order. */
export const statusKeys = (maps: Array<Record<string, number>>): string[] =>
  [...new Set(maps.flatMap((m) => Object.keys(m)))].sort((a, b) => Number(a) - Number(b));
