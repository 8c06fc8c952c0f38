// tools/plot readers and model against real k6 v0.49 output, and the input
// variations k6 produces (gzip or not, whole-second CSV timestamps).

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { CLASSES } from '../lib/classify.ts';
import type { Dataset } from '../tools/plot/model.ts';
import { load } from '../tools/plot/index.ts';
import { CsvRecordFilter, LineContainsFilter } from '../tools/plot/line-filter.ts';
import { parseExtraTags } from '../tools/plot/read-csv.ts';
import { writeSynth } from '../tools/plot/synth.ts';

const FIXTURES = new URL('fixtures/k6-v0.49/', import.meta.url).pathname;
const CSV = join(FIXTURES, 'raw.csv.gz');
const NDJSON = join(FIXTURES, 'raw.ndjson.gz');

type Counts = Record<string, number>;

/** `responses{scenario:<s>,class:<c>}` sub-metrics, summed per `<route>/<class>` and per `<scenario>/<class>`. */
async function summaryCounts(): Promise<{ byRoute: Counts; byScenario: Counts; total: number }> {
  const data = JSON.parse(await readFile(join(FIXTURES, 'handle-summary-data.json'), 'utf8')) as {
    metrics: Record<string, { values: { count?: number } }>;
  };
  const byRoute: Counts = {};
  const byScenario: Counts = {};
  for (const [name, m] of Object.entries(data.metrics)) {
    const hit = /^responses\{scenario:([^,]+),class:([^}]+)\}$/.exec(name);
    if (!hit) continue;
    const [, scenario, cls] = hit as unknown as [string, string, string];
    const count = m.values.count ?? 0;
    const route = scenario.split('_')[0]!;
    byRoute[`${route}/${cls}`] = (byRoute[`${route}/${cls}`] ?? 0) + count;
    byScenario[`${scenario}/${cls}`] = count;
  }
  return { byRoute, byScenario, total: data.metrics.responses!.values.count! };
}

function datasetCounts(ds: Dataset): { byRoute: Counts; byScenario: Counts } {
  const byRoute: Counts = {};
  const byScenario: Counts = {};
  // Every class of every scenario, so zero counts compare too.
  for (const g of ds.groups) for (const c of CLASSES) {
    byRoute[`${g.route}/${c}`] = 0;
    byScenario[`${g.scenario}/${c}`] = 0;
  }
  for (let i = 0; i < ds.n; i++) {
    const g = ds.groups[ds.group[i]!]!;
    const c = CLASSES[ds.cls[i]!]!;
    byRoute[`${g.route}/${c}`]!++;
    byScenario[`${g.scenario}/${c}`]!++;
  }
  return { byRoute, byScenario };
}

describe('plot reads real k6 v0.49 raw output', () => {
  for (const [name, path] of [['--out csv (unix_milli, gzip)', CSV], ['--out json (NDJSON, gzip)', NDJSON]] as const) {
    test(`${name}: counts per class, route and scenario equal handleSummary's responses counter`, async () => {
      const expected = await summaryCounts();
      const { ds, reads, warnings } = await load([path]);
      assert.equal(ds.n, expected.total);
      assert.equal(reads[0]!.gzip, true);
      assert.deepEqual(warnings, []);
      const got = datasetCounts(ds);
      // Classes the matrix script does not know (e.g. `invalid`) must be empty.
      for (const counts of [got.byRoute, got.byScenario]) {
        for (const key of Object.keys(counts)) {
          if (!(key in expected.byRoute) && !(key in expected.byScenario)) {
            assert.equal(counts[key], 0, key);
            delete counts[key];
          }
        }
      }
      assert.deepEqual(got.byRoute, expected.byRoute);
      assert.deepEqual(got.byScenario, expected.byScenario);
      assert.deepEqual(ds.routes, ['query', 'id', 'ref']);
      // The fixture's mix: ok, 404, 500, reset and hang; nothing lands in `other`.
      assert.equal(ds.byClass.other, 0);
      assert.ok(ds.byClass.no_response > 0 && ds.byClass.not_found > 0 && ds.byClass.server_error > 0);
      const g = ds.groups.find((x) => x.scenario === 'id_c40_o100')!;
      assert.deepEqual([g.route, g.count, g.offset], ['id', 40, 100]);
    });
  }

  test('CSV and NDJSON of the same run give the same requests', async () => {
    const a = (await load([CSV])).ds;
    const b = (await load([NDJSON])).ds;
    assert.equal(a.n, b.n);
    assert.deepEqual(a.byClass, b.byClass);
    assert.deepEqual(a.groups, b.groups);
    for (let i = 0; i < a.n; i++) {
      assert.equal(a.cls[i], b.cls[i], `class of request ${i}`);
      assert.equal(a.group[i], b.group[i], `scenario of request ${i}`);
      assert.equal(a.durationMs[i], b.durationMs[i], `duration of request ${i}`);
      // CSV stamps are whole milliseconds, JSON ones nanoseconds.
      assert.ok(Math.abs(a.sent[i]! - b.sent[i]!) < 1, `send time of request ${i}`);
    }
  });
});

describe('plot input variations', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plot-read-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('gzip is detected by magic bytes, not by name; plain and gzip read the same', async () => {
    const plain = join(dir, 'plain.csv');
    await writeSynth(plain, { requests: 500, format: 'csv', gzip: false, full: true });
    const gzNoExt = join(dir, 'zipped-without-extension.csv');
    await writeFile(gzNoExt, gzipSync(await readFile(plain)));
    const plainWithGz = join(dir, 'not-really.csv.gz');
    await writeFile(plainWithGz, await readFile(plain));
    const [a, b, c] = await Promise.all([load([plain]), load([gzNoExt]), load([plainWithGz])]);
    assert.equal(a.reads[0]!.gzip, false);
    assert.equal(b.reads[0]!.gzip, true);
    assert.equal(c.reads[0]!.gzip, false);
    for (const x of [b, c]) {
      assert.equal(x.ds.n, 500);
      assert.deepEqual(x.ds.byClass, a.ds.byClass);
      assert.deepEqual([...x.ds.durationMs], [...a.ds.durationMs]);
    }
  });

  test('NDJSON plain and gzip read the same', async () => {
    const plain = join(dir, 'raw.ndjson');
    const gz = join(dir, 'raw.ndjson.gz');
    await writeSynth(plain, { requests: 300, format: 'ndjson', gzip: false });
    await writeSynth(gz, { requests: 300, format: 'ndjson', gzip: true });
    const [a, b] = await Promise.all([load([plain]), load([gz])]);
    assert.equal(a.ds.n, 300);
    assert.deepEqual(b.ds.byClass, a.ds.byClass);
    assert.deepEqual([...b.ds.sent], [...a.ds.sent]);
  });

  test("k6's default whole-second CSV timestamps are accepted, with a warning", async () => {
    const secs = join(dir, 'seconds.csv');
    const millis = join(dir, 'millis.csv');
    await writeSynth(secs, { requests: 400, format: 'csv', gzip: false, time: 's' });
    await writeSynth(millis, { requests: 400, format: 'csv', gzip: false, time: 'ms' });
    const s = await load([secs]);
    const m = await load([millis]);
    assert.equal(s.reads[0]!.resolution, 's');
    assert.equal(m.reads[0]!.resolution, 'ms');
    assert.equal(s.warnings.length, 1);
    assert.match(s.warnings[0]!, /seconds\.csv.*time resolution is 1 s.*K6_CSV_TIME_FORMAT=unix_milli/);
    assert.deepEqual(s.ds.byClass, m.ds.byClass);
    for (let i = 0; i < s.ds.n; i++) {
      // Same request, stamped to the second instead of the millisecond.
      assert.ok(Math.abs(s.ds.sent[i]! - m.ds.sent[i]!) < 1000);
    }
  });

  test('several inputs make one dataset', async () => {
    const { ds } = await load([CSV, join(FIXTURES, 'raw-sample.csv')]);
    assert.equal(ds.n, 364 + 4);
  });
});

describe('byte-level line filters', () => {
  const run = async (chunks: string[], f: CsvRecordFilter | LineContainsFilter = new CsvRecordFilter('http_req_duration')): Promise<string> => {
    let out = '';
    f.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const done = new Promise((r) => f.on('end', r));
    for (const c of chunks) f.write(Buffer.from(c));
    f.end();
    await done;
    return out;
  };

  test('keeps the header and whole http_req_duration records, even with quoted newlines and split chunks', async () => {
    const text =
      'metric_name,timestamp,metric_value,error\n' +
      'http_reqs,1,1,"a\nhttp_req_duration,fake"\n' +
      'http_reqs,1,1,"Get ""http://x/?a=1"": EOF"\n' +
      'http_req_duration,2,5,"multi\nline ""quoted"" error"\n' +
      'http_req_waiting,3,1,\n' +
      'http_req_duration,4,6,';
    const expected = 'metric_name,timestamp,metric_value,error\nhttp_req_duration,2,5,"multi\nline ""quoted"" error"\nhttp_req_duration,4,6,\n';
    assert.equal(await run([text]), expected);
    // Any chunking gives the same records.
    for (const size of [1, 3, 7, 16]) {
      const chunks: string[] = [];
      for (let k = 0; k < text.length; k += size) chunks.push(text.slice(k, k + size));
      assert.equal(await run(chunks), expected, `chunks of ${size}`);
    }
  });

  test('NDJSON: only lines naming the metric pass', async () => {
    const text = '{"metric":"http_reqs"}\n{"metric":"http_req_duration","v":1}\n{"x":2}\n{"metric":"http_req_duration","v":3}';
    for (const size of [1, 5, 1000]) {
      const chunks: string[] = [];
      for (let k = 0; k < text.length; k += size) chunks.push(text.slice(k, k + size));
      assert.equal(await run(chunks, new LineContainsFilter('"http_req_duration"')), '{"metric":"http_req_duration","v":1}\n{"metric":"http_req_duration","v":3}\n');
    }
  });

  test('extra_tags in any order', () => {
    assert.deepEqual(parseExtraTags('offset=50&route=query&count=20'), { route: 'query', count: '20', offset: '50' });
    assert.deepEqual(parseExtraTags('route=a%26b&x=1'), { route: 'a&b', count: '', offset: '' });
    assert.deepEqual(parseExtraTags(''), { route: '', count: '', offset: '' });
  });
});
