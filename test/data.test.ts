import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { businessRows, isCanonical, parseBusinesses, DataError } from '../lib/data.ts';
import { JOIN } from '../lib/params.ts';

const F = 'data/test.csv';
const ID = '81a7d9b4-0b44-48e9-a2d5-422d7256cef6';

test('the committed sample parses', () => {
  const b = parseBusinesses(readFileSync('data/businesses.csv', 'utf8'), 'data/businesses.csv');
  assert.ok(b.ids.length > 0);
  assert.equal(b.ids.length, b.refs.length);
});

test('good file: columns in any order, CRLF, BOM, blank lines', () => {
  const b = parseBusinesses(`\uFEFFsampleUnitRef,id\r\n49900000001,${ID}\r\n\r\n49900000002,${ID.toUpperCase()}\r\n`, F);
  assert.deepEqual(b, { ids: [ID, ID.toUpperCase()], refs: ['49900000001', '49900000002'] });
});

/** Node's reader and k6's (rows for the chunks) both refuse the file with the same message. */
const fails = (text: string, re: RegExp) => {
  for (const read of [() => parseBusinesses(text, F), () => businessRows(text, F, () => {})]) {
    assert.throws(read, (e: unknown) => {
      assert.ok(e instanceof DataError);
      assert.match(e.message, new RegExp(`data file ${F}: `));
      assert.match(e.message, re);
      assert.match(e.message, /npm run seed/);
      return true;
    });
  }
};

test('empty file', () => fails('', /is empty/));
test('header only', () => fails('id,sampleUnitRef\n', /no rows/));
test('missing column', () => fails(`id,ref\n${ID},1\n`, /no column `sampleUnitRef` \(found: id, ref/));
test('bad UUID names its line', () => fails(`id,sampleUnitRef\n${ID},1\nnot-a-uuid,2\n`, /line 3: id "not-a-uuid" is not a UUID/));
test('empty ref names its line', () => fails(`id,sampleUnitRef\n${ID},\n`, /line 2: sampleUnitRef is empty/));
test('ragged row names its line', () => fails(`id,sampleUnitRef\n${ID},1,extra\n`, /line 2: Too many fields/));

test('a file of several 1 MB slices: every row once, in order, and a bad row past the first slice names its line', () => {
  const n = 40_000; // ~2 MB
  const id = (i: number) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
  const lines = ['id,sampleUnitRef', ...Array.from({ length: n }, (_, i) => `${id(i)},${49900000000 + i}`)];
  const b = parseBusinesses(`${lines.join('\n')}\n`, F);
  assert.equal(b.ids.length, n);
  assert.deepEqual([b.ids[0], b.ids[n - 1], b.refs[n - 1]], [id(0), id(n - 1), String(49900000000 + n - 1)]);
  lines[30_001] = 'not-a-uuid,1';
  fails(lines.join('\n'), /line 30002: id "not-a-uuid" is not a UUID/);
});

test('blank lines count toward line numbers; a line break inside a quoted ref is refused', () => {
  fails(`id,sampleUnitRef\n\n${ID},1\n\nbad,2\n`, /line 5: id "bad"/);
  fails(`id,sampleUnitRef\n${ID},"4990\n0000001"\n`, /line 2: sampleUnitRef holds a line break/);
});

/** The rows k6's cold init chunks, all batches together. */
function rowsOf(text: string): string[] {
  const out: string[] = [];
  const n = businessRows(text, F, (batch) => out.push(...batch));
  assert.equal(n, out.length);
  return out;
}

test('a file as npm run seed writes it takes the canonical path, with the same rows as the general one', () => {
  const rows = [`${ID},49900000001`, `${ID.toUpperCase()},A_b.c~d-1`, `00000000-0000-4000-8000-00000000000f,7`];
  const expected = rows.map((r) => r.split(',').join(JOIN));
  for (const eol of ['\n', '\r\n']) {
    // Canonical: LF or CRLF after every line, the last one included.
    const canonical = `id,sampleUnitRef${eol}${rows.join(eol)}${eol}`;
    assert.ok(isCanonical(canonical));
    assert.deepEqual(rowsOf(canonical), expected, JSON.stringify(eol));
    // Not canonical (no final line break, a BOM): papaparse, the same rows.
    for (const other of [`id,sampleUnitRef${eol}${rows.join(eol)}`, `\uFEFF${canonical}`]) {
      assert.ok(!isCanonical(other));
      assert.deepEqual(rowsOf(other), expected);
    }
  }
  // Mixed line ends are still canonical: each line drops its own CR.
  assert.deepEqual(rowsOf(`id,sampleUnitRef\r\n${rows[0]}\n${rows[1]}\r\n${rows[2]}\n`), expected);
  // A ref that needs URL encoding, blanks, quotes, another column order: the general path, refs encoded once.
  assert.deepEqual(rowsOf(`id,sampleUnitRef\n${ID},a b\n`), [`${ID}${JOIN}a%20b`]);
  assert.deepEqual(rowsOf(`id,sampleUnitRef\n${ID},"x""/y"\n`), [`${ID}${JOIN}x%22%2Fy`]);
  assert.deepEqual(rowsOf(`id,sampleUnitRef\n${ID}, 1 \n`), [`${ID}${JOIN}1`]);
  assert.deepEqual(rowsOf(`sampleUnitRef,id\n1,${ID}\n`), [`${ID}${JOIN}1`]);
  // Bad rows never pass the canonical test: the general path names the line.
  fails(`id,sampleUnitRef\n${ID},1\n${ID.slice(1)},2\n`, /line 3: id ".*" is not a UUID/);
  fails(`id,sampleUnitRef\n${ID},1,2\n`, /line 2: Too many fields/);
  fails('id,sampleUnitRef\n', /no rows/);
});

test('a canonical file of many blocks: every row once, in order, the same as the general path', () => {
  const n = 40_000; // ~2 MB: 30 blocks of lines
  const id = (i: number) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
  const lines = ['id,sampleUnitRef', ...Array.from({ length: n }, (_, i) => `${id(i)},${i % 3 ? 49900000000 + i : `r.${i}`}`)];
  for (const eol of ['\n', '\r\n']) {
    const text = `${lines.join(eol)}${eol}`;
    assert.ok(isCanonical(text));
    const rows = rowsOf(text);
    assert.deepEqual(rows, rowsOf(`\uFEFF${text}`));
    assert.deepEqual(rows, lines.slice(1).map((l) => l.split(',').join(JOIN)));
  }
});
