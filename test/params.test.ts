import { test } from 'node:test';
import assert from 'node:assert/strict';
import { box, chunker, chunkValues, picker, toChunks, WINDOW, type Chunk } from '../lib/params.ts';
import { mulberry32, vuRandom } from '../lib/rng.ts';

/** A SharedArray stand-in that counts its reads. */
function counted(chunks: Chunk[]): { array: ArrayLike<Chunk>; reads: () => number; last: () => number } {
  let reads = 0;
  let last = -1;
  const array = new Proxy(chunks, {
    get(t, k) {
      if (typeof k === 'string' && /^\d+$/.test(k)) { reads++; last = Number(k); }
      return Reflect.get(t, k);
    },
  });
  return { array, reads: () => reads, last: () => last };
}

const values = Array.from({ length: 1000 }, (_, i) => `4990000${String(i).padStart(4, '0')}${i % 7 === 0 ? 'x' : ''}`);

test('chunks keep every value in order, WINDOW per chunk, only the last shorter', () => {
  const c = toChunks(values);
  assert.equal(c.length, Math.ceil(1000 / WINDOW));
  const split = c.map(chunkValues);
  assert.ok(split.slice(0, -1).every((k) => k.length === WINDOW));
  assert.equal(split.at(-1)!.length, 1000 % WINDOW || WINDOW);
  assert.deepEqual(split.flat(), values);
  const k = chunker(3);
  for (const v of ['a', 'b', 'c', 'd']) k.push(v);
  assert.equal(k.count(), 4);
  assert.deepEqual(k.done().map(box).map(chunkValues), [['a', 'b', 'c'], ['d']]);
});

test('one chunk read sends each of its values once; picks cover the file evenly', () => {
  const c = toChunks(values);
  const src = counted(c);
  const pick = picker(src.array, mulberry32(1));
  const set = new Set(values);
  const seen = new Map<string, number>();
  for (let r = 0; r < 500; r++) {
    const first = pick();
    const chunk = chunkValues(c[src.last()]!);
    const got = [first, ...Array.from({ length: chunk.length - 1 }, pick)];
    assert.equal(src.reads(), r + 1, 'one SharedArray read per chunk');
    assert.deepEqual([...got].sort(), [...chunk].sort(), 'every value of the chunk, once');
    for (const v of got) {
      assert.ok(set.has(v), v);
      seen.set(v, (seen.get(v) ?? 0) + 1);
    }
  }
  assert.ok(seen.size > 980, `500 chunk reads reach ${seen.size} of 1000 values`);
  assert.ok(Math.max(...seen.values()) < 25, 'no value is favoured');
});

test('same seed, same picks; tiny files work', () => {
  const c = toChunks(values);
  const a = picker(c, mulberry32(9));
  const b = picker(c, mulberry32(9));
  for (let i = 0; i < 100; i++) assert.equal(a(), b());
  const one = toChunks(['only']);
  const p = picker(one, mulberry32(2));
  for (let i = 0; i < 40; i++) assert.equal(p(), 'only');
});

test('vuRandom: in [0, 1), spread, the same per seed and VU, different across VUs', () => {
  const a = vuRandom(1, 1);
  const b = vuRandom(1, 1);
  const other = vuRandom(1, 2);
  const xs = Array.from({ length: 20000 }, () => a());
  for (let i = 0; i < 100; i++) b();
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const buckets = new Array(10).fill(0);
  for (const x of xs) buckets[Math.floor(x * 10)]++;
  assert.ok(buckets.every((n) => n > 1800 && n < 2200), `buckets ${buckets}`);
  assert.equal(vuRandom(1, 1)(), xs[0]);
  assert.notEqual(other(), xs[0]);
  // A seed that mixes to 0 still moves (xorshift would stick at 0).
  const zero = vuRandom(0x9e3779b1, 0);
  assert.notEqual(zero(), zero());
});
