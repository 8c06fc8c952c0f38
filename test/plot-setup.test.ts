// Setup's preflight and teardown's cleanup are no planned load: the plot
// leaves them out (issue 12, item 1). Lines as k6 v0.49 wrote them for a
// script with a setup request named `preflight`, one scenario and a teardown.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { load } from '../tools/plot/index.ts';

const HEADER = 'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';
const SETUP = 'http_req_duration,1796148164000,18.653819,,,,true,::setup,GET,preflight,HTTP/1.1,,,200,,,preflight,,';
const LOAD = (t: number, ms: number) => `http_req_duration,${t},${ms},,,,true,,GET,/businesses/id/,HTTP/1.1,id_c20_o100,,200,,,x,route=id&count=20&offset=100,`;
const TEARDOWN = 'http_req_duration,1796148166000,0.734117,,,,true,::teardown,DELETE,x,HTTP/1.1,,,404,,,x,,';
const point = (group: string, scenario: string, route: string) =>
  JSON.stringify({ type: 'Point', metric: 'http_req_duration', data: { time: '2026-12-01T18:02:44.5+00:00', value: 3, tags: { group, scenario, route, status: '200' } } });

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plot-setup-'));
});
after(() => rm(dir, { recursive: true, force: true }));

test('CSV: the preflight and teardown requests make no panel and no count', async () => {
  const f = join(dir, 'raw.csv');
  await writeFile(f, [HEADER, SETUP, LOAD(1796148164100, 0.96), LOAD(1796148164200, 1.2), TEARDOWN].join('\n') + '\n');
  const { ds } = await load([f]);
  assert.equal(ds.n, 2);
  assert.deepEqual(ds.routes, ['id']);
  assert.ok(!ds.groups.some((g) => g.route === '(no route tag)' || g.scenario === ''));
});

test('NDJSON: the same, by the group tag', async () => {
  const f = join(dir, 'raw.ndjson');
  await writeFile(f, [point('::setup', '', ''), point('', 'id_c20_o100', 'id'), point('::teardown', '', '')].join('\n') + '\n');
  const { ds } = await load([f]);
  assert.equal(ds.n, 1);
  assert.deepEqual(ds.routes, ['id']);
});

test('a file of setup requests only is refused, saying why', async () => {
  const f = join(dir, 'setup-only.csv');
  await writeFile(f, [HEADER, SETUP].join('\n') + '\n');
  await assert.rejects(load([f]), /only setup and teardown requests \(1\), no planned load/);
});

test('a CSV without the group column still plots', async () => {
  const f = join(dir, 'nogroup.csv');
  const drop = (line: string) => line.split(',').filter((_, i) => i !== 7).join(',');
  await writeFile(f, [HEADER, LOAD(1796148164100, 0.96)].map(drop).join('\n') + '\n');
  const { ds } = await load([f]);
  assert.equal(ds.n, 1);
});
