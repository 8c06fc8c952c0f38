import { test } from 'node:test';
import assert from 'node:assert/strict';
import { picker, toChunks, WINDOW } from '../lib/params.ts';
import { mulberry32 } from '../lib/rng.ts';

const values = Array.from({ length: 1000 }, (_, i) => `4990000${String(i).padStart(4, '0')}${i % 7 === 0 ? 'x' : ''}`);

test('chunks keep every value, padded to one width, sizes within one', () => {
  const c = toChunks(values, 256);
  assert.equal(c.count, 1000);
  assert.equal(c.chunks.length, 4);
  const sizes = c.chunks.map((s) => s.length / c.width);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
  const back = c.chunks.flatMap((s) => Array.from({ length: s.length / c.width }, (_, i) => s.substr(i * c.width, c.width).trim()));
  assert.deepEqual(back.sort(), [...values].sort());
});

test('picks are real values, distinct within a window, and cover the file', () => {
  const c = toChunks(values, 256);
  let reads = 0;
  const pick = picker((i) => { reads++; return c.chunks[i]!; }, c.chunks.length, c.width, mulberry32(1));
  const set = new Set(values);
  const seen = new Map<string, number>();
  for (let w = 0; w < 500; w++) {
    const win = Array.from({ length: WINDOW }, pick);
    for (const v of win) assert.ok(set.has(v), v);
    assert.equal(new Set(win).size, WINDOW, 'no repeat within a window');
    for (const v of win) seen.set(v, (seen.get(v) ?? 0) + 1);
  }
  assert.equal(reads, 500, 'one chunk read per window');
  assert.ok(seen.size > 990, `8000 picks reach ${seen.size} of 1000 values`);
  assert.ok(Math.max(...seen.values()) < 25, 'no value is favoured');
});

test('same seed, same picks; tiny files work', () => {
  const c = toChunks(values);
  const a = picker((i) => c.chunks[i]!, c.chunks.length, c.width, mulberry32(9));
  const b = picker((i) => c.chunks[i]!, c.chunks.length, c.width, mulberry32(9));
  for (let i = 0; i < 100; i++) assert.equal(a(), b());
  const one = toChunks(['only']);
  const p = picker((i) => one.chunks[i]!, 1, one.width, mulberry32(2));
  for (let i = 0; i < 40; i++) assert.equal(p(), 'only');
});
