// The write bodies against the project's reference target (tools/party-service/),
// answers checked with the suite's validators. The target is part of the
// repository and runs on embedded PGlite, so failing to start it is a failure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bodyMaker, linkBody, runSampleSummaryId, writeRef, type Template } from '../lib/writes.ts';
import { bodyError, errorBodyError } from '../lib/validate.ts';
import { API_PREFIX, DELETE_SAMPLE_PREFIX } from '../lib/routes.ts';
import { startTarget, type RunningTarget } from '../tools/party-service/server.ts';

const TEMPLATE = JSON.parse(readFileSync(new URL('../data/templates/business.json', import.meta.url), 'utf8')) as Template;
const AUTH = 'Basic ' + Buffer.from('admin:secret').toString('base64');
const RUN = 31337;
const SSID = runSampleSummaryId(RUN);

let target: RunningTarget | undefined;
before(async () => {
  target = await startTarget({ port: 0, quiet: true });
});
after(async () => {
  await target?.close();
});

const send = async (method: string, path: string, body?: string) => {
  const r = await fetch(target!.url + API_PREFIX + path, { method, body, headers: { Authorization: AUTH, 'Content-Type': 'application/json' } });
  return { status: r.status, body: await r.text() };
};

test('each write body is accepted and answered in the shape the validators expect; teardown removes it', async () => {
  const flat = bodyMaker(TEMPLATE, 'flat', SSID);
  const party = bodyMaker(TEMPLATE, 'party', SSID);
  const [a, b] = [writeRef(RUN, 0), writeRef(RUN, 1)];

  const posted = await send('POST', '/businesses', flat(a));
  assert.equal(posted.status, 200, posted.body);
  assert.equal(bodyError('written', posted.body), null);
  assert.equal(JSON.parse(posted.body).sampleUnitRef, a);

  const created = await send('POST', '/parties', party(b));
  assert.equal(created.status, 200, created.body);
  assert.equal(bodyError('written', created.body), null);
  const again = await send('POST', '/parties', party(b));
  assert.equal(again.status, 409, 'a second POST /parties of that ref and sample: classified other');
  assert.equal(errorBodyError(again.body), null);

  const patched = await send('PATCH', '/parties', party(b));
  assert.equal(patched.status, 200, patched.body);
  assert.equal(bodyError('written', patched.body), null);

  const linked = await send('PUT', `/businesses/sample/link/${SSID}`, linkBody(RUN));
  assert.equal(linked.status, 200, linked.body);
  assert.equal(bodyError('link', linked.body), null);

  // Linked: readable, in the shapes the read routes validate.
  const byRef = await send('GET', `/businesses/ref/${a}`);
  assert.equal(byRef.status, 200, byRef.body);
  assert.equal(bodyError('party', byRef.body), null);
  const id = JSON.parse(byRef.body).id as string;
  assert.equal(bodyError('summary', (await send('GET', `/businesses/id/${id}`)).body), null);
  assert.equal(bodyError('list', (await send('GET', `/businesses?id=${id}`)).body), null);

  const removed = await send('DELETE', DELETE_SAMPLE_PREFIX + SSID);
  assert.ok(removed.status >= 200 && removed.status < 300, `DELETE answered ${removed.status}`);
  const gone = await send('GET', `/businesses/ref/${a}`);
  assert.notEqual(gone.status, 200, 'the run sample attributes are gone');
});
