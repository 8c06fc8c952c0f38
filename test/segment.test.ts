import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  iterationIndexes, iterationsFor, parseRat, parseSegment, parseSequence, ratString, scaleFor, SegmentError,
  segmentString, shareOf, tupleOf,
} from '../lib/segment.ts';
import { buildPlan } from '../lib/plan.ts';
import { PROFILES } from '../lib/profiles.ts';

interface Recorded {
  recordedWith: string;
  configs: Array<{ segment: string; sequence: string | null; cells: Array<{ count: number; maxVUs: number; iterations: number }> }>;
}
// Iterations a real k6 v0.49.0 started per scenario and segment (bench/segment.bench.ts --write).
const recorded = JSON.parse(readFileSync(new URL('./fixtures/segment/k6-iterations.json', import.meta.url), 'utf8')) as Recorded;

test('iterationsFor matches what k6 v0.49 started, for every recorded segment and scenario size', () => {
  assert.match(recorded.recordedWith, /^k6 v0\.49/);
  let n = 0;
  for (const c of recorded.configs) {
    const t = tupleOf(c.segment, c.sequence);
    for (const cell of c.cells) {
      assert.equal(iterationsFor(t, cell.count, cell.maxVUs), cell.iterations, `${c.segment} in ${c.sequence}: ${cell.count} iterations over ${cell.maxVUs} VUs`);
      n++;
    }
  }
  assert.ok(n >= 50);
});

test("k6's own example: 0:1/2, 1/2:3/4, 3/4:1 stripe iterations and scale integers as its comment shows", () => {
  const seq = '0,1/2,3/4,1';
  // Global iterations of each segment (lib/execution_segment.go, ExecutionTuple's comment), with enough VUs (4) to keep the sequence.
  assert.deepEqual(iterationIndexes(tupleOf('0:1/2', seq), 12, 4), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(iterationIndexes(tupleOf('1/2:3/4', seq), 12, 4), [1, 5, 9]);
  assert.deepEqual(iterationIndexes(tupleOf('3/4:1', seq), 12, 4), [3, 7, 11]);
  const scaled = (seg: string) => Array.from({ length: 12 }, (_, i) => scaleFor(tupleOf(seg, seq), i + 1));
  assert.deepEqual(scaled('0:1/2'), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
  assert.deepEqual(scaled('1/2:3/4'), [0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3]);
  assert.deepEqual(scaled('3/4:1'), [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3]);
});

test('the shares of every segment of a sequence add up to the plan, with no iteration run twice', () => {
  const sequences = ['0,1/2,1', '0,1/3,2/3,1', '0,1/4,1/2,1', '0,0.2,0.5,0.9,1', '0,1/5,2/5,3/5,4/5,1', '0,1/7,1/2,1'];
  for (const seq of sequences) {
    const segs = parseSequence(seq)!.map(segmentString);
    for (const count of [1, 2, 7, 25, 100, 137, 500]) {
      for (const vus of [1, 2, 3, 5, 11, 61, 500]) {
        const seen = new Set<number>();
        let sum = 0;
        for (const s of segs) {
          const t = tupleOf(s, seq);
          const idx = iterationIndexes(t, count, vus);
          assert.equal(idx.length, iterationsFor(t, count, vus));
          for (const i of idx) {
            assert.ok(!seen.has(i), `${s} in ${seq}: iteration ${i} twice (count ${count}, VUs ${vus})`);
            seen.add(i);
          }
          sum += idx.length;
        }
        assert.equal(sum, count, `${seq}, count ${count}, VUs ${vus}`);
      }
    }
  }
});

test('VUs scale as k6 scales them, and a segment without VUs runs nothing', () => {
  const seq = '0,1/3,2/3,1';
  assert.deepEqual(['0:1/3', '1/3:2/3', '2/3:1'].map((s) => scaleFor(tupleOf(s, seq), 2)), [1, 1, 0]);
  assert.equal(iterationsFor(tupleOf('2/3:1', seq), 101, 2), 0);
  assert.equal(iterationsFor(tupleOf('0:1/3', seq), 101, 2) + iterationsFor(tupleOf('1/3:2/3', seq), 101, 2), 101);
});

test('a segment without a sequence is filled around, as k6 does; the whole test is one segment', () => {
  assert.equal(iterationsFor(tupleOf('1/2:1', null), 200, 3), iterationsFor(tupleOf('1/2:1', '0,1/2,1'), 200, 3));
  assert.equal(iterationsFor(tupleOf(null, null), 137, 7), 137);
  assert.equal(iterationsFor(tupleOf('0:1', ''), 137, 7), 137);
  assert.equal(segmentString(parseSegment('1/4')), '0:1/4');
  assert.equal(segmentString(parseSegment('50%:75%')), '1/2:3/4');
  assert.equal(segmentString(parseSegment('0.5:1')), '1/2:1');
});

test('parsing follows k6: percentages, decimals, fractions; bad input names the value', () => {
  assert.equal(ratString(parseRat('25%')), '1/4');
  assert.equal(ratString(parseRat('0.125')), '1/8');
  assert.equal(ratString(parseRat('2/4')), '1/2');
  assert.equal(ratString(parseRat('1')), '1');
  assert.throws(() => parseRat('half'), /'half' is not a valid/);
  assert.throws(() => parseSegment('1/2:1/4'), /must be less than its end/);
  assert.throws(() => parseSegment('0:3/2'), /can't be more than 1/);
  assert.throws(() => parseSequence('1/2'), /at least 2 points/);
  assert.throws(() => tupleOf('0:1/4', '0,1/2,1'), (e: unknown) => e instanceof SegmentError && /0:1\/4 can't be found in sequence 0,1\/2,1/.test(e.message));
});

test("shareOf: a plan's scenarios planned for one instance; null for the whole test", () => {
  const plan = buildPlan(PROFILES.smoke!);
  assert.equal(shareOf(plan, null, null), null);
  const a = shareOf(plan, '0:1/2', '0,1/2,1')!;
  const b = shareOf(plan, '1/2:1', '0,1/2,1')!;
  assert.equal(a.segment, '0:1/2');
  assert.equal(b.sequence, '0,1/2,1');
  for (const s of plan.scenarios) {
    assert.equal(a.planned[s.name]! + b.planned[s.name]!, s.count, s.name);
    assert.equal(a.vus[s.name]! + b.vus[s.name]!, s.vus, s.name);
  }
});

test('handleSummary with a segment: planned is the share, the summary names it, file names carry it', async () => {
  const { handleSummary } = await import('../lib/summary/entry.ts');
  const plan = buildPlan(PROFILES.smoke!);
  const now = Date.UTC(2026, 11, 1, 12, 0, 0);
  const out = handleSummary({ metrics: {}, state: { testRunDurationMs: 60_000 } }, {
    env: { LABEL: 'dist' }, profile: 'smoke', seed: 1, now, segment: '1/2:1', sequence: '0,1/2,1',
  });
  const files = Object.keys(out).filter((k) => k !== 'stdout');
  assert.ok(files.length >= 5);
  for (const f of files) assert.match(f, /^summaries\/segment-1_2-1\.dist-/);
  const model = JSON.parse(out[files.find((f) => f.endsWith('summary.json'))!]!);
  assert.deepEqual(model.segment, { segment: '1/2:1', sequence: '0,1/2,1' });
  const share = shareOf(plan, '1/2:1', '0,1/2,1')!;
  for (const s of model.scenarios) assert.equal(s.planned, share.planned[s.name]);
  // The other half's share is what this instance did not plan.
  const other = Object.values(shareOf(plan, '0:1/2', '0,1/2,1')!.planned).reduce((a, b) => a + b, 0);
  assert.equal(model.totals.planned, plan.requests - other);
  assert.ok(model.totals.planned > 0 && other > 0);
  assert.match(out.stdout!, /execution segment 1\/2:1 of 0,1\/2,1/);
});
