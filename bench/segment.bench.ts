// Checks lib/segment.ts against a real k6: runs constant-arrival-rate
// scenarios of several sizes under several execution segments and compares
// the iterations k6 started with iterationsFor(). Prints "skipped: no k6"
// without one. `--write FILE` records k6's figures as a test fixture.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iterationsFor, tupleOf } from '../lib/segment.ts';

const k6 = process.env.K6_BIN || 'k6';
if (spawnSync(k6, ['version'], { stdio: 'ignore' }).status !== 0) {
  console.log('skipped: no k6');
  process.exit(0);
}

/** [count, maxVUs]: counts of 100 or more at 10 ms spacing keep each scenario over k6's 1 s minimum. */
const CELLS: Array<[number, number]> = [[200, 3], [150, 1], [137, 7], [101, 2], [107, 5], [199, 11], [120, 4], [130, 6]];
const CONFIGS: Array<[string, string | null]> = [
  ['0:1/2', '0,1/2,1'], ['1/2:1', '0,1/2,1'], ['1/2:1', null],
  ['0:1/3', '0,1/3,2/3,1'], ['1/3:2/3', '0,1/3,2/3,1'], ['2/3:1', '0,1/3,2/3,1'],
  ['1/4:1/2', '0,1/4,1/2,1'], ['1/2:1', '0,1/4,1/2,1'],
  ['0.2:0.5', '0,0.2,0.5,0.9,1'], ['0.9:1', '0,0.2,0.5,0.9,1'],
];

const SCRIPT = `
import exec from 'k6/execution';
const cells = JSON.parse(__ENV.CELLS);
const scenarios = {}; const thresholds = {};
cells.forEach(([count, vus], i) => {
  const name = 's' + i;
  scenarios[name] = { executor: 'constant-arrival-rate', rate: 1, timeUnit: '10ms', duration: (count * 10 - 5) + 'ms', preAllocatedVUs: vus, maxVUs: vus, gracefulStop: '2s' };
  thresholds['iterations{scenario:' + name + '}'] = ['count>=0'];
});
export const options = { scenarios, thresholds };
export default function () {}
export function handleSummary(d) {
  const out = cells.map((_, i) => { const m = d.metrics['iterations{scenario:s' + i + '}']; return m ? m.values.count : 0; });
  return { stdout: JSON.stringify(out) + '\\n' };
}
`;

const dir = mkdtempSync(join(tmpdir(), 'party-perf-segment-'));
const script = join(dir, 'segments.js');
writeFileSync(script, SCRIPT);
const records: Array<{ segment: string; sequence: string | null; cells: Array<{ count: number; maxVUs: number; iterations: number }> }> = [];
let mismatches = 0;
try {
  for (const [segment, sequence] of CONFIGS) {
    const args = ['run', '-q', '--execution-segment', segment, ...(sequence ? ['--execution-segment-sequence', sequence] : []), script];
    const out = execFileSync(k6, args, { env: { ...process.env, CELLS: JSON.stringify(CELLS) }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const got = JSON.parse(out.trim().split('\n').pop()!) as number[];
    const t = tupleOf(segment, sequence);
    const row = CELLS.map(([count, maxVUs], i) => {
      const mine = iterationsFor(t, count, maxVUs);
      if (mine !== got[i]) mismatches++;
      return `${count}/${maxVUs}: k6 ${got[i]}${mine === got[i] ? '' : ` lib ${mine} MISMATCH`}`;
    });
    console.log(`${segment} in ${sequence ?? '(no sequence)'}: ${row.join(', ')}`);
    records.push({ segment, sequence, cells: CELLS.map(([count, maxVUs], i) => ({ count, maxVUs, iterations: got[i]! })) });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const w = process.argv.indexOf('--write');
if (w > 0 && process.argv[w + 1]) {
  const version = execFileSync(k6, ['version'], { encoding: 'utf8' }).trim();
  writeFileSync(process.argv[w + 1]!, JSON.stringify({ recordedWith: version, by: 'bench/segment.bench.ts', configs: records }, null, 1) + '\n');
}
console.log(`${CONFIGS.length * CELLS.length} scenario shares compared with k6: ${mismatches} mismatches`);
process.exit(mismatches ? 1 : 0);
