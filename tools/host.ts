// The machine while k6 runs, for the Node commands that start k6 (npm start,
// capacity, replay): k6's CPU and the whole machine's busy share from /proc,
// and the load average, once a second. The summary keeps them (summary.json
// `host`) and the verdict reads them: a saturated machine makes latencies
// the machine's, not the target's. Elsewhere than Linux: no samples, no claim.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import type { HostHealth, HostSample, SummaryModel } from '../lib/summary/model.ts';
import { hostHealth, withHost } from '../lib/summary/verdict.ts';
import { FILES } from '../lib/summary/paths.ts';
import { buildTables } from '../lib/summary/tables.ts';
import { renderMarkdown } from '../lib/summary/markdown.ts';
import { renderHtml } from '../lib/summary/html.ts';
import { renderCsv } from '../lib/summary/csv.ts';
import { renderJunit } from '../lib/summary/junit.ts';

/** utime + stime (clock ticks) from a /proc/<pid>/stat line; null when it does not parse. */
export function ticksOf(stat: string): number | null {
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) && rest.length > 12 ? utime + stime : null;
}

/** The first line of /proc/stat -> [busy, total] jiffies; null when it does not parse. */
export function machineTicks(stat: string): [number, number] | null {
  const line = stat.split('\n', 1)[0] ?? '';
  if (!line.startsWith('cpu ')) return null;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 4 || f.some((x) => !Number.isFinite(x))) return null;
  // user nice system idle iowait irq softirq steal (guest is inside user already)
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = f[3]! + (f[4] ?? 0);
  return [total - idle, total];
}

const read = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

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

export interface HostSampler {
  /** Stops sampling; null when nothing was sampled (k6 ran under one interval, or no /proc). */
  stop: () => HostHealth | null;
}

/** Samples k6 (pid) and the machine every `intervalMs` until stop(). */
export function sampleHost(pid: number, intervalMs = 1000): HostSampler {
  const hz = ticksPerSecond();
  const cores = cpus().length || 1;
  const samples: HostSample[] = [];
  const t0 = performance.now();
  const k6Ticks = () => { const s = read(`/proc/${pid}/stat`); return s === null ? null : ticksOf(s); };
  const machine = () => { const s = read('/proc/stat'); return s === null ? null : machineTicks(s); };
  let lastK6 = k6Ticks();
  let lastMachine = machine();
  let lastAt = t0;
  const timer = setInterval(() => {
    const k = k6Ticks();
    const m = machine();
    const now = performance.now();
    const secs = (now - lastAt) / 1000;
    const k6Cpu = k !== null && lastK6 !== null && secs > 0 ? (k - lastK6) / hz / secs : null;
    const busy = m !== null && lastMachine !== null && m[1] > lastMachine[1] ? (m[0] - lastMachine[0]) / (m[1] - lastMachine[1]) : null;
    if (k6Cpu !== null || busy !== null) {
      samples.push({ t: Math.round((now - t0) / 100) / 10, k6Cpu: k6Cpu === null ? null : round(k6Cpu), busy: busy === null ? null : round(busy), load1: round(loadavg()[0] ?? 0) });
    }
    lastK6 = k;
    lastMachine = m;
    lastAt = now;
  }, intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return samples.length ? hostHealth(samples, cores, intervalMs) : null;
    },
  };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Adds the machine's samples to a results folder's summary.json, judges the
 * run again and renders report.md, report.html, tables.csv and junit.xml
 * anew, so every format leads with the verdict that knows the machine.
 * Returns the new model, or null (with the reason) when there is no summary.
 */
export function recordHost(folder: string, host: HostHealth | null): { model: SummaryModel | null; note: string } {
  const file = path.join(folder, FILES.summary);
  if (!existsSync(file)) return { model: null, note: `no ${file}: the machine's samples were not recorded` };
  let model: SummaryModel;
  try {
    model = JSON.parse(readFileSync(file, 'utf8')) as SummaryModel;
  } catch (err) {
    return { model: null, note: `${file} did not parse (${(err as Error).message}): the machine's samples were not recorded` };
  }
  if (!host) return { model, note: existsSync('/proc/stat') ? 'k6 ended before the first machine sample (1 s): the verdict is from k6\'s data alone' : 'the machine was not sampled (no /proc here): the verdict is from k6\'s data alone' };
  if (!Array.isArray(model.scenarios) || !model.totals) return { model, note: `${file} is not a party-perf summary: the machine's samples were not recorded` };
  const next = withHost(model, host);
  writeFileSync(file, JSON.stringify(next, null, 2) + '\n');
  const tables = buildTables(next);
  const outputs: Array<[string, () => string]> = [
    [FILES.markdown, () => renderMarkdown(next, tables)],
    [FILES.html, () => renderHtml(next, tables)],
    [FILES.csv, () => renderCsv(next)],
    [FILES.junit, () => renderJunit(next, tables)],
  ];
  const failed: string[] = [];
  for (const [name, render] of outputs) {
    const p = path.join(folder, name);
    if (!existsSync(p)) continue;
    try {
      writeFileSync(p, render());
    } catch (err) {
      failed.push(`${name}: ${(err as Error).message}`);
    }
  }
  return { model: next, note: failed.length ? `machine samples recorded; not re-rendered: ${failed.join('; ')}` : 'machine samples recorded in summary.json and the reports' };
}
