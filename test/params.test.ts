import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunker, picker, SEPARATOR, toChunks, WINDOW } from '../lib/params.ts';
import { mulberry32 } from '../lib/rng.ts';

const values = Array.from({ length: 1000 }, (_, i) => `4990000${String(i).padStart(4, '0')}${i % 7 === 0 ? 'x' : ''}`);

test('chunks keep every value in order, WINDOW per chunk, only the last shorter', () => {
  const c = toChunks(values);
  assert.equal(c.length, Math.ceil(1000 / WINDOW));
  const split = c.map((k) => k.split(SEPARATOR));
  assert.ok(split.slice(0, -1).every((k) => k.length === WINDOW));
  assert.equal(split.at(-1)!.length, 1000 % WINDOW || WINDOW);
  assert.deepEqual(split.flat(), values);
  const k = chunker(3);
  for (const v of ['a', 'b', 'c', 'd']) k.push(v);
  assert.equal(k.count(), 4);
  assert.deepEqual(k.done(), ['a\nb\nc', 'd']);
});

test('one chunk read sends each of its values once; picks cover the file evenly', () => {
  const c = toChunks(values);
  let reads = 0;
  let lastRead = -1;
  const pick = picker((i) => { reads++; lastRead = i; return c[i]!; }, c.length, mulberry32(1));
  const set = new Set(values);
  const seen = new Map<string, number>();
  for (let r = 0; r < 500; r++) {
    const first = pick();
    const chunk = c[lastRead]!.split(SEPARATOR);
    const got = [first, ...Array.from({ length: chunk.length - 1 }, pick)];
    assert.equal(reads, r + 1, 'one SharedArray read per chunk');
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
  const a = picker((i) => c[i]!, c.length, mulberry32(9));
  const b = picker((i) => c[i]!, c.length, mulberry32(9));
  for (let i = 0; i < 100; i++) assert.equal(a(), b());
  const one = toChunks(['only']);
  const p = picker((i) => one[i]!, 1, mulberry32(2));
  for (let i = 0; i < 40; i++) assert.equal(p(), 'only');
});
