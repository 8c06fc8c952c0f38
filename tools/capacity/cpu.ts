// k6's CPU while a probe runs, from /proc/<pid>/stat (Linux): user + system
// ticks of all its threads, sampled once a second. Elsewhere: unknown (null).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** utime + stime (clock ticks) from a /proc/<pid>/stat line; null when it does not parse. */
export function ticksOf(stat: string): number | null {
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) && rest.length > 12 ? utime + stime : null;
}

function readTicks(pid: number): number | null {
  try {
    return ticksOf(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

let clockTicks: number | undefined;
/** USER_HZ, almost always 100. */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const n = Number(r.stdout?.trim());
    clockTicks = r.status === 0 && n > 0 ? n : 100;
  }
  return clockTicks;
}

export const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export interface CpuFigures {
  /** Median of the 1 s samples, cores: the steady load, not VU start-up or the drain. */
  cores: number | null;
  peak: number | null;
}

/** Samples a process's CPU once per `intervalMs` until stop(). */
export function sampleCpu(pid: number, intervalMs = 1000): { stop: () => CpuFigures } {
  const hz = ticksPerSecond();
  const samples: number[] = [];
  let last = readTicks(pid);
  let lastAt = performance.now();
  const timer = setInterval(() => {
    const t = readTicks(pid);
    const now = performance.now();
    if (t !== null && last !== null && now > lastAt) samples.push((t - last) / hz / ((now - lastAt) / 1000));
    last = t;
    lastAt = now;
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return { cores: median(samples), peak: samples.length ? Math.max(...samples) : null };
    },
  };
}
