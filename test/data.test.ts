import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { eachBusiness, parseBusinesses, DataError } from '../lib/data.ts';

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

const fails = (text: string, re: RegExp) =>
  assert.throws(() => parseBusinesses(text, F), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.match(e.message, new RegExp(`data file ${F}: `));
    assert.match(e.message, re);
    assert.match(e.message, /npm run seed/);
    return true;
  });

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

test('a file as npm run seed writes it takes the canonical path, with the same rows as the general one', () => {
  const rows = [`${ID},49900000001`, `${ID.toUpperCase()},A_b.c~d-1`, `00000000-0000-4000-8000-00000000000f,7`];
  const seen = (text: string) => {
    const out: Array<[string, string, boolean]> = [];
    const n = eachBusiness(text, F, (id, ref, unreserved) => out.push([id, ref, unreserved]));
    assert.equal(n, out.length);
    return out;
  };
  const expected = rows.map((r) => r.split(',') as [string, string]);
  for (const eol of ['\n', '\r\n']) {
    // Canonical: LF or CRLF after every line, the last one included.
    const canonical = seen(`id,sampleUnitRef${eol}${rows.join(eol)}${eol}`);
    assert.deepEqual(canonical, expected.map(([id, ref]) => [id, ref, true]), JSON.stringify(eol));
    // Not canonical (no final line break, a BOM): papaparse, the same rows.
    assert.deepEqual(seen(`id,sampleUnitRef${eol}${rows.join(eol)}`), expected.map(([id, ref]) => [id, ref, false]));
    assert.deepEqual(seen(`\uFEFFid,sampleUnitRef${eol}${rows.join(eol)}${eol}`), expected.map(([id, ref]) => [id, ref, false]));
  }
  // Mixed line ends are still canonical: each line drops its own CR.
  assert.deepEqual(seen(`id,sampleUnitRef\r\n${rows[0]}\n${rows[1]}\r\n${rows[2]}\n`), expected.map(([id, ref]) => [id, ref, true]));
  // A ref that needs URL encoding, blanks, quotes, another column order: the general path.
  assert.deepEqual(seen(`id,sampleUnitRef\n${ID},a b\n`), [[ID, 'a b', false]]);
  assert.deepEqual(seen(`id,sampleUnitRef\n${ID}, 1 \n`), [[ID, '1', false]]);
  assert.deepEqual(seen(`sampleUnitRef,id\n1,${ID}\n`), [[ID, '1', false]]);
  // Bad rows never pass the canonical test: the general path names the line.
  fails(`id,sampleUnitRef\n${ID},1\n${ID.slice(1)},2\n`, /line 3: id ".*" is not a UUID/);
  fails('id,sampleUnitRef\n', /no rows/);
});
