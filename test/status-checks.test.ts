// Issue 12 item 4, the hot-path half: every answer records exactly one check,
// so the `checks` rate stays the success rate, and an unexpected HTTP status
// fails a check named after its scenario and status (lib/plan.ts
// statusCheckName) that handleSummary reads as per-scenario status counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBundle } from './helpers/k6.ts';
import { CHECK_NAME, statusCheckName } from '../lib/plan.ts';

test('reads: one check per answer; 404, 500 and 405 name scenario and status, 200 and no answer use the common check', async () => {
  const first = await loadBundle('report', { env: { SEED: '3', VALIDATE: 'false' } });
  const answers = [
    { status: 200 }, { status: 404, error_code: 1404 }, { status: 500, error_code: 1500 },
    { status: 0, error_code: 1050, error: 'request timeout' }, { status: 405, error_code: 1405 }, { status: 404, error_code: 1404 },
  ];
  let i = 0;
  const { mod, rec } = await loadBundle('report', { vu: 1, shared: first.shared, respond: () => answers[i++]! });
  const k6 = (globalThis as unknown as { __k6: { scenario: { name: string } } }).__k6;
  k6.scenario = { name: 'id_c100_o50' };
  for (let k = 0; k < 3; k++) mod.id();
  k6.scenario = { name: 'ref_c100_o50' };
  for (let k = 0; k < 3; k++) mod.ref();
  assert.deepEqual(rec.checks.map((c) => [c.name, c.ok]), [
    [CHECK_NAME, true],
    [statusCheckName('id_c100_o50', 404), false],
    [statusCheckName('id_c100_o50', 500), false],
    [CHECK_NAME, false],
    [statusCheckName('ref_c100_o50', 405), false],
    [statusCheckName('ref_c100_o50', 404), false],
  ]);
  // A success is counted by its passing check alone.
  assert.deepEqual(rec.metrics.map((m) => m.tags.class), ['not_found', 'server_error', 'no_response', 'other', 'not_found']);
});
