import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, CLASSES } from '../lib/classify.ts';

test('statuses from the fixtures README land in their columns', () => {
  assert.deepEqual(classify(200, 0), { class: 'success' });
  assert.deepEqual(classify(404, 1404), { class: 'not_found' });
  assert.deepEqual(classify(500, 1500), { class: 'server_error' });
  assert.deepEqual(classify(503, 1503), { class: 'server_error' });
  assert.deepEqual(classify(400, 1400), { class: 'other' });
  assert.deepEqual(classify(401, 1401), { class: 'other' });
  assert.deepEqual(classify(201, 0), { class: 'other' }, 'the party service answers 200, never 201');
});

test('status 0 is no response, with the cause from error_code', () => {
  assert.deepEqual(classify(0, 1212), { class: 'no_response', cause: 'refused' });
  assert.deepEqual(classify(0, 1220), { class: 'no_response', cause: 'reset' });
  assert.deepEqual(classify(0, 1000), { class: 'no_response', cause: 'closed' });
  assert.deepEqual(classify(0, 1050), { class: 'no_response', cause: 'timeout' });
  assert.deepEqual(classify(0, 1211), { class: 'no_response', cause: 'timeout' });
  assert.deepEqual(classify(0, 1100), { class: 'no_response', cause: 'other' });
  assert.deepEqual(classify(0, 0), { class: 'no_response', cause: 'other' });
});

test('the expected status is per route', () => {
  assert.deepEqual(classify(204, 0, 204), { class: 'success' });
  assert.deepEqual(classify(200, 0, 204), { class: 'other' });
});

test('tag objects are shared and frozen: the hot path allocates nothing', () => {
  assert.equal(classify(200, 0), classify(200, 0));
  assert.equal(classify(0, 1212), classify(0, 1212));
  assert.ok(Object.isFrozen(classify(500, 1500)));
  assert.deepEqual([...CLASSES], ['success', 'no_response', 'not_found', 'server_error', 'other', 'invalid']);
});
