import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseBusinesses, DataError } from '../lib/data.ts';

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
