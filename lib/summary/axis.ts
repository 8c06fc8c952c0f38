// How rows and charts name a step: by offset (ms between requests, as the
// report printed them) or, for a rate sweep, by rate with the offset in
// brackets, because whoever runs a sweep asks "how many requests per second?".
import { rate } from './format.ts';

interface Step { route: string; count: number; offset: number }

/**
 * A rate sweep: every route runs at two or more offsets, one scenario per
 * offset, and its steps last about as long as each other (count x offset
 * within one offset of the shortest). That is the stress profile (`stepMs`)
 * and any profile shaped like it; a count x offset matrix is not.
 */
export function spansRates(steps: Step[]): boolean {
  const routes = [...new Set(steps.map((s) => s.route))];
  if (routes.length === 0) return false;
  return routes.every((route) => {
    const mine = steps.filter((s) => s.route === route);
    const offsets = new Set(mine.map((s) => s.offset));
    if (offsets.size < 2 || offsets.size !== mine.length) return false;
    const lengths = mine.map((s) => s.count * s.offset);
    const shortest = Math.min(...lengths);
    return mine.every((s) => s.count * s.offset - shortest <= s.offset);
  });
}

/** "50" (offset axis) or "20 req/s (50 ms)" (rate axis). */
export function stepLabel(offset: number, axis: 'rate' | 'offset'): string {
  return axis === 'rate' ? `${rate(1000 / offset)} req/s (${offset} ms)` : String(offset);
}

/** The key column's header for rows keyed by step. */
export const stepHeader = (axis: 'rate' | 'offset'): string => (axis === 'rate' ? 'Rate (offset)' : 'Offset');
