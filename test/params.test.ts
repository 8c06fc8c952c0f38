import { test } from 'node:test';
import assert from 'node:assert/strict';
import { box, chunker, chunkValues, COLUMNS, JOIN, picker, toChunks, WINDOW, type Chunk } from '../lib/params.ts';
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

const refs = Array.from({ length: 1000 }, (_, i) => `4990000${String(i).padStart(4, '0')}${i % 7 === 0 ? 'x' : ''}`);
const ids = refs.map((_, i) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`);
const rows = ids.map((id, i) => [id, refs[i]!]);
/** A chunk's values of one column. */
const column = (chunk: Chunk, c: number) => chunkValues(chunk).filter((_, i) => i % COLUMNS === c);

test('chunks keep every row in order, WINDOW rows per chunk, only the last shorter', () => {
  const c = toChunks(rows);
  assert.equal(c.length, Math.ceil(1000 / WINDOW));
  const split = c.map(chunkValues);
  assert.ok(split.slice(0, -1).every((k) => k.length === WINDOW * COLUMNS));
  assert.equal(split.at(-1)!.length, (1000 % WINDOW || WINDOW) * COLUMNS);
  assert.deepEqual(split.flat(), rows.flat());
});

test('the chunker cuts the same chunks whatever the batches, carrying rows across them', () => {
  const texts = rows.map((r) => r.join(JOIN));
  const whole = chunker();
  whole.add(texts);
  const expected = whole.done();
  for (const sizes of [[1], [5, 11], [15, 1, 16, 17], [999], [3, 0, 40]]) {
    const k = chunker();
    for (let i = 0, s = 0; i < texts.length; s++) {
      const n = sizes[s % sizes.length]!;
      k.add(texts.slice(i, i + n));
      i += n;
    }
    assert.deepEqual(k.done(), expected, `batches of ${sizes}`);
  }
  const k = chunker(3);
  k.add(['a","1', 'b","2']);
  k.add([]);
  k.add(['c","3', 'd","4']);
  assert.deepEqual(k.done().map(box).map(chunkValues), [['a', '1', 'b', '2', 'c', '3'], ['d', '4']]);
});

test('one chunk read sends each of its rows once, in the column asked for; picks cover the file evenly', () => {
  const c = toChunks(rows);
  for (const [col, values] of [[0, ids], [1, refs]] as const) {
    const src = counted(c);
    const pick = picker(src.array, col, mulberry32(1));
    const set = new Set(values);
    const seen = new Map<string, number>();
    for (let r = 0; r < 500; r++) {
      const first = pick();
      const chunk = column(c[src.last()]!, col);
      const got = [first, ...Array.from({ length: chunk.length - 1 }, pick)];
      assert.equal(src.reads(), r + 1, 'one SharedArray read per chunk');
      assert.deepEqual([...got].sort(), [...chunk].sort(), 'every row of the chunk, once');
      for (const v of got) {
        assert.ok(set.has(v), v);
        seen.set(v, (seen.get(v) ?? 0) + 1);
      }
    }
    assert.ok(seen.size > 980, `500 chunk reads reach ${seen.size} of 1000 values`);
    assert.ok(Math.max(...seen.values()) < 25, 'no value is favoured');
  }
});

test('same seed, same picks; tiny files work', () => {
  const c = toChunks(rows);
  const a = picker(c, 1, mulberry32(9));
  const b = picker(c, 1, mulberry32(9));
  for (let i = 0; i < 100; i++) assert.equal(a(), b());
  const one = toChunks([[ids[0]!, 'only']]);
  const p = picker(one, 1, mulberry32(2));
  const q = picker(one, 0, mulberry32(2));
  for (let i = 0; i < 40; i++) assert.deepEqual([p(), q()], ['only', ids[0]]);
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
