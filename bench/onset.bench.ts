// Does the graph in words find a known onset? `npm start` runs a soak against
// the reference target's `degrading` preset, whose every read from the
// 1001st on holds its database connection 1.5 s longer (docs/reference-target.md),
// and the run's `[run] graph:` line must name an onset within 5 % (in
// requests) of that one; against `baseline` at the same low rate it must say
// there was no degradation. Also prints each run's drift. PREFLIGHT=false:
// the preflight's reads would count towards the target's 1000.
// Without k6 on PATH (or K6_BIN) it prints "skipped: no k6".
//
//   npm run bench -- onset            about 16 minutes (npm run bench alone skips it)
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRESETS } from '../tools/party-service/presets.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const k6 = process.env.K6_BIN ?? 'k6';
if (spawnSync(k6, ['version']).status !== 0) {
  console.log('skipped: no k6');
  process.exit(0);
}

interface Case { preset: string; env: Record<string, string>; expectOnset: number | null }
const after = PRESETS.degrading.degradeAfter ?? 0;
const CASES: Case[] = [
  // 2/s per route, 3 routes: the 1001st read about 167 s in, in the third of 9 windows.
  { preset: 'degrading', env: { SOAK_RATE: '2', SOAK_DURATION: '9m' }, expectOnset: after + 1 },
  { preset: 'baseline', env: { SOAK_RATE: '2', SOAK_DURATION: '6m' }, expectOnset: null },
];

async function npmStart(c: Case): Promise<{ code: number; lines: string[] }> {
  const label = `onset-bench-${c.preset}`;
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tools/run.ts'), '--profile', 'soak', '--preset', c.preset, '--count', '300', '--label', label], {
    cwd: root, env: { ...process.env, ...c.env, PREFLIGHT: 'false', SEED: '1' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  const code = await new Promise<number>((r) => child.on('exit', (x) => r(x ?? 1)));
  return { code, lines: out.split('\n') };
}

let failed = 0;
for (const c of CASES) {
  console.log(`\n${c.preset}: PROFILE=soak ${Object.entries(c.env).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  const { code, lines } = await npmStart(c);
  const graph = lines.find((l) => l.startsWith('[run] graph:')) ?? '(no graph line)';
  const report = lines.find((l) => l.startsWith('[run] report: '))?.slice('[run] report: '.length).split(' ')[0];
  const summary = report ? (JSON.parse(readFileSync(join(report, '..', 'summary.json'), 'utf8')) as { verdict?: { status: string }; windows?: { kind: string; drift?: { headline: string } } }) : null;
  console.log(`  npm start exited ${code}; verdict ${summary?.verdict?.status ?? 'n/a'}`);
  console.log(`  ${graph}`);
  console.log(`  drift: ${summary?.windows?.drift?.headline ?? 'n/a'}`);
  const m = /degraded from request ([\d,]+)/.exec(graph);
  if (c.expectOnset === null) {
    const ok = /graph: no degradation/.test(graph);
    console.log(`  expected no degradation: ${ok ? 'ok' : 'FAILED'}`);
    if (!ok) failed++;
  } else {
    const found = m ? Number(m[1]!.replace(/,/g, '')) : NaN;
    const off = Math.abs(found - c.expectOnset) / c.expectOnset;
    const ok = off <= 0.05;
    console.log(`  true onset: request ${c.expectOnset}; reported: ${Number.isNaN(found) ? 'none' : found} (${(off * 100).toFixed(2)} % off; within 5 %: ${ok ? 'ok' : 'FAILED'})`);
    if (!ok) failed++;
  }
}
if (failed) process.exitCode = 1;
