// The response schemas against the real bodies of ras-party 1.13.0
// (test/fixtures/party-api/responses.txt), and mutations of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bodyError, errorBodyError, VALIDATORS } from '../lib/validate.ts';
import * as generated from '../lib/generated/validate-bodies.js';
import type { BodyKind } from '../lib/routes.ts';
import { READ_ROUTES, WRITE_ROUTES } from '../lib/routes.ts';
import { flatBody, partyBody, type Template } from '../lib/writes.ts';

const PARTY_API = new URL('fixtures/party-api/', import.meta.url);

/** responses.txt: "GET <path>" -> { status, body } */
function realResponses(): Map<string, { status: number; body: string }> {
  const out = new Map<string, { status: number; body: string }>();
  const text = readFileSync(new URL('responses.txt', PARTY_API), 'utf8');
  for (const block of text.split(/^## /m).slice(1)) {
    const [head = '', statusLine = '', ...rest] = block.split('\n');
    const status = Number(/^status: (\d+)/.exec(statusLine)?.[1]);
    out.set(head.trim().replace('/party-api/v1', ''), { status, body: rest.join('\n').trim() });
  }
  return out;
}
const REAL = realResponses();
const ID = '81a7d9b4-0b44-48e9-a2d5-422d7256cef6';
const real = (key: string): string => {
  const r = REAL.get(key);
  assert.ok(r, `responses.txt has no "${key}"`);
  return r.body;
};
const SUMMARY = real(`GET /businesses/id/${ID}`);
const PARTY = real('GET /businesses/ref/49900000001');
const LIST = real(`GET /businesses?id=${ID}`);
const PARTY_BY_TYPE = real(`GET /parties/type/B/id/${ID}`);
/** to_post_response_dict: what the writes answer (the party without associations). */
const WRITTEN = JSON.stringify((({ associations: _a, ...rest }) => rest)(JSON.parse(PARTY)));
const LINK = '{"collectionExerciseId":"ce000000-0000-4000-8000-000000000001","sampleSummaryId":"5a000000-0000-4000-8000-000000000001"}';

const mutate = (body: string, f: (o: any) => void): string => {
  const o = JSON.parse(body);
  f(o);
  return JSON.stringify(o);
};

test('the real bodies match their schemas', () => {
  assert.equal(bodyError('summary', SUMMARY), null);
  assert.equal(bodyError('party', PARTY), null);
  assert.equal(bodyError('party', PARTY_BY_TYPE), null);
  assert.equal(bodyError('list', LIST), null);
  assert.equal(bodyError('list', real('GET /businesses?id=00000000-0000-4000-8000-000000000000')), null, 'unknown ids: 200 []');
  assert.equal(bodyError('written', WRITTEN), null);
  assert.equal(bodyError('link', LINK), null);
  for (const key of [`GET /businesses/id/00000000-0000-4000-8000-000000000000`, 'GET /businesses/id/not-a-uuid', 'GET /businesses/ref/00000000000', 'GET /businesses?id=not-a-uuid']) {
    assert.equal(errorBodyError(real(key)), null, key);
  }
  assert.equal(errorBodyError('{"description":["\'sampleUnitRef\' is a required property"]}'), null, 'schema errors come as a list');
});

test('each route names the schema of its 200 body', () => {
  const kinds = Object.fromEntries([...READ_ROUTES, ...WRITE_ROUTES].map((r) => [r.key, r.body]));
  assert.deepEqual(kinds, {
    query: 'list', id: 'summary', ref: 'party',
    post_businesses: 'written', post_parties: 'written', patch_parties: 'written', put_link: 'link',
  });
});

test('mutated bodies are rejected with the first problem', () => {
  const cases: Array<[BodyKind, string, RegExp]> = [
    // missing keys
    ['summary', mutate(SUMMARY, (o) => delete o.id), /must have required property 'id'/],
    ['summary', mutate(SUMMARY, (o) => delete o.associations), /associations/],
    ['party', mutate(PARTY, (o) => delete o.attributes), /attributes/],
    ['party', mutate(PARTY, (o) => delete o.attributes.runame1), /^\/attributes must have required property 'runame1'/],
    ['written', mutate(WRITTEN, (o) => delete o.sampleSummaryId), /sampleSummaryId/],
    ['link', mutate(LINK, (o) => delete o.collectionExerciseId), /collectionExerciseId/],
    // wrong types
    ['summary', mutate(SUMMARY, (o) => { o.associations = {}; }), /^\/associations must be array/],
    ['summary', mutate(SUMMARY, (o) => { o.name = 42; }), /^\/name must be string,null/],
    ['summary', mutate(SUMMARY, (o) => { o.sampleUnitRef = 49900000001; }), /^\/sampleUnitRef must be string/],
    ['party', mutate(PARTY, (o) => { o.attributes.froempment = '1'; }), /^\/attributes\/froempment must be integer/],
    ['party', mutate(PARTY, (o) => { o.attributes.cell_no = 1.5; }), /^\/attributes\/cell_no must be integer/],
    ['list', SUMMARY, /^\(root\) must be array/],
    ['list', `[${mutate(SUMMARY, (o) => { o.sampleUnitType = 'X'; })}]`, /^\/0\/sampleUnitType must be equal to one of the allowed values/],
    // bad uuids
    ['summary', mutate(SUMMARY, (o) => { o.id = 'not-a-uuid'; }), /^\/id must match pattern/],
    ['summary', mutate(SUMMARY, (o) => { o.sampleSummaryId = ID.slice(0, 35); }), /^\/sampleSummaryId must match pattern/],
    ['summary', mutate(SUMMARY, (o) => { o.id = ID.toUpperCase(); }), /^\/id must match pattern/],
    ['link', mutate(LINK, (o) => { o.sampleSummaryId = 7; }), /^\/sampleSummaryId must be string/],
    // shapes mixed up: a summary that grew attributes, an extra key, an empty ref
    ['summary', PARTY, /^\/attributes boolean schema is false/],
    ['summary', mutate(SUMMARY, (o) => { o.extra = 1; }), /must NOT have additional properties \(extra\)/],
    ['summary', mutate(SUMMARY, (o) => { o.sampleUnitRef = ''; }), /^\/sampleUnitRef must match pattern/],
    // not the service's JSON at all
    ['summary', '{}', /must have required property/],
    ['summary', 'Unauthorized Access', /^not JSON: "Unauthorized Access"/],
    ['party', '', /^not JSON/],
  ];
  for (const [kind, body, expected] of cases) {
    const e = bodyError(kind, body);
    assert.ok(e !== null, `${kind} accepted ${body.slice(0, 120)}`);
    assert.match(e, expected, `${kind}: ${body.slice(0, 120)}`);
  }
  assert.match(bodyError('summary', null)!, /responseType text/, 'a discarded body is never a pass');
  assert.match(errorBodyError('{}')!, /description/, '500 {} is not the error envelope');
  assert.match(errorBodyError('{"description":3}')!, /description/);
});

test('the validators are the generated standalone ones, compiled at build time', () => {
  assert.equal(VALIDATORS.summary, generated.validateSummary);
  assert.equal(VALIDATORS.list, generated.validateList);
  assert.equal(VALIDATORS.party, generated.validateParty);
  assert.equal(VALIDATORS.written, generated.validateWritten);
  assert.equal(VALIDATORS.link, generated.validateLink);
  const src = readFileSync(new URL('../lib/generated/validate-bodies.js', import.meta.url), 'utf8');
  assert.match(src, /^\/\/ Generated by build\.mjs/);
  assert.ok(!/require\(/.test(src), 'no CommonJS left for the bundler');
  assert.ok(!/from "ajv(\/dist\/(compile|core|vocabularies))?"/.test(src), 'no ajv compiler import');
  assert.ok(!src.includes('ajv-formats'), 'uuids are patterns, not ajv-formats (which would be bundled)');
});

test('bodies built from the template echo back as written parties', () => {
  const t = JSON.parse(readFileSync(new URL('../data/templates/business.json', import.meta.url), 'utf8')) as Template;
  const ssid = '5a7e0000-0000-4000-8000-000000001234';
  const flat = flatBody(t, '81234500001', ssid);
  const nested = partyBody(t, '81234500001', ssid);
  // The target's to_post_response_dict: attributes as sent (minus the top-level keys), name joined from runame1..3.
  const answer = {
    attributes: nested.attributes, id: '0a9b8c7d-0000-4000-8000-000000000001', name: `${flat.runame1} ${flat.runame2} ${flat.runame3}`,
    sampleSummaryId: ssid, sampleUnitRef: flat.sampleUnitRef, sampleUnitType: 'B', trading_as: flat.tradstyle1,
  };
  assert.equal(bodyError('written', JSON.stringify(answer)), null);
  assert.match(bodyError('party', JSON.stringify(answer))!, /associations/, 'a GET party has associations');
});
