// A progress line of our own while k6 runs where nobody watches it live (a
// CI log): k6's progress bar there prints a line a second (4761 lines for
// the quick profile), so the Node commands run k6 with --quiet instead.
import { duration } from '../lib/summary/format.ts';

/** Whether k6's own live progress is worth showing: only on a terminal. */
export const liveProgress = (stream: { isTTY?: boolean } = process.stdout): boolean => stream.isTTY === true;

/** `<prefix> <what>: 1 min 30 s of about 3 min 0 s`, every `everyMs`, until cleared. */
export function ticker(prefix: string, what: string, aboutMs: number | null, everyMs = 30_000, log = console.log): NodeJS.Timeout {
  const t0 = Date.now();
  const t = setInterval(() => log(`${prefix} ${what}: ${duration(Date.now() - t0)}${aboutMs === null ? '' : ` of about ${duration(aboutMs)}`}`), everyMs);
  t.unref();
  return t;
}
