// tools/plot command line: output path, messages and exit codes (0 written,
// 1 input cannot be plotted, 2 bad command line), and decimation guarantees.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { main } from '../tools/plot/cli.ts';
import { pickMarks } from '../tools/plot/decimate.ts';
import { PlotError, plot } from '../tools/plot/index.ts';
import { CLASS_INDEX } from '../tools/plot/model.ts';

const FIXTURES = new URL('fixtures/k6-v0.49/', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;

/** Runs main() with console output captured. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { log: console.log, warn: console.warn, error: console.error };
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.warn = console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    const code = await main(args);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    Object.assign(console, saved);
  }
}

describe('plot CLI', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plot-cli-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('writes <input>.plot.html next to the first input by default, and reports the counts', async () => {
    const input = join(dir, 'raw.csv.gz');
    await copyFile(join(FIXTURES, 'raw.csv.gz'), input);
    const r = await cli([input]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /wrote .*raw\.csv\.gz\.plot\.html: 364 requests \(Success \(200\) 220, No Response 72, 404 36, 500 36\)/);
    const html = await readFile(`${input}.plot.html`, 'utf8');
    assert.match(html, /^<!doctype html>/);
    assert.doesNotMatch(html, /<script|<link|https?:\/\/(?!www\.w3\.org)/, 'no external assets or scripts');
  });

  test('plot() returns the page path and counts, and honours --out', async () => {
    const out = join(dir, 'sub', 'dir', 'page.html');
    const r = await plot([join(FIXTURES, 'raw.ndjson.gz')], { out });
    assert.equal(r.htmlPath, out);
    assert.equal(r.requests, 364);
    assert.deepEqual({ ...r.byClass, invalid: 0 }, { success: 220, no_response: 72, not_found: 36, server_error: 36, other: 0, invalid: 0 });
    assert.ok((await stat(out)).size > 1000);
    const viaCli = await cli([join(FIXTURES, 'raw.ndjson.gz'), '--out', join(dir, 'cli.html')]);
    assert.equal(viaCli.code, 0);
  });

  test('a missing file: exit 1, names the file', async () => {
    const r = await cli([join(dir, 'nope.csv')]);
    assert.equal(r.code, 1);
    assert.match(r.err, /nope\.csv: no such file/);
    await assert.rejects(plot([join(dir, 'nope.csv')]), (e: unknown) => e instanceof PlotError && e.exitCode === 1);
  });

  test('an unknown format: exit 1, names the file and what was expected', async () => {
    const txt = join(dir, 'notes.txt');
    await writeFile(txt, 'hello, this is not k6 output\n');
    let r = await cli([txt]);
    assert.equal(r.code, 1);
    assert.match(r.err, /notes\.txt: unknown format.*expected k6 raw output: --out csv .* or --out json/);
    const gz = join(dir, 'notes.txt.gz');
    await writeFile(gz, gzipSync('{"some":"json"}\n'));
    r = await cli([gz]);
    assert.equal(r.code, 1);
    assert.match(r.err, /notes\.txt\.gz: unknown format \(inside gzip\)/);
    const empty = join(dir, 'empty.csv');
    await writeFile(empty, '');
    r = await cli([empty]);
    assert.equal(r.code, 1);
    assert.match(r.err, /empty\.csv: empty file/);
  });

  test('no http_req_duration points: exit 1, names the file', async () => {
    const csv = join(dir, 'no-http.csv');
    await writeFile(csv, 'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata\nvus,1795785011714,1.000000,,,,,,,,,,,,,,,,\n');
    let r = await cli([csv]);
    assert.equal(r.code, 1);
    assert.match(r.err, /no-http\.csv: no http_req_duration points in [\d,]+ bytes of k6 CSV; expected/);
    const json = join(dir, 'no-http.ndjson');
    await writeFile(json, '{"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"http_req_duration"}\n');
    r = await cli([json]);
    assert.equal(r.code, 1);
    assert.match(r.err, /no-http\.ndjson: no http_req_duration points in [\d,]+ bytes of k6 JSON; expected/);
  });

  test('bad command lines exit 2 with usage', async () => {
    for (const args of [[], ['--bogus', 'x.csv'], ['x.csv', '--out']]) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /usage: npm run plot/);
    }
    assert.equal((await cli(['--help'])).code, 0);
  });

  test('the real process exits with those codes (npm run plot runs tools/plot/cli.ts)', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'tools/plot/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
    const ok = run(join(FIXTURES, 'raw.csv.gz'), '--out', join(dir, 'proc.html'));
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(run(join(dir, 'missing.csv')).status, 1);
    assert.equal(run().status, 2);
  });
});

describe('decimation', () => {
  test('small panels keep one mark per request; large ones keep every extreme and every failure cell', () => {
    const n = 200_000;
    const px = new Float32Array(n);
    const py = new Float32Array(n);
    const cls = new Uint8Array(n);
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < n; i++) {
      px[i] = rand() * 1000;
      py[i] = 100 + rand() * 100;
      cls[i] = rand() < 0.01 ? CLASS_INDEX.server_error : CLASS_INDEX.success;
    }
    py[12345] = 3; // the slowest request
    py[54321] = 299; // the fastest
    const small = pickMarks(px.subarray(0, 500), py.subarray(0, 500), cls.subarray(0, 500), 1000, 300);
    assert.equal(small.full, true);
    assert.equal(small.keep.length, 500);

    const big = pickMarks(px, py, cls, 1000, 300, { fullLimit: 1000, budget: 60_000 });
    assert.equal(big.full, false);
    assert.ok(big.keep.length < n / 3, `${big.keep.length} marks`);
    const kept = new Set(big.keep);
    assert.ok(kept.has(12345) && kept.has(54321), 'extremes kept');
    // Every failure lies within one cell of a kept failure mark.
    const [, s] = big.cell;
    const cells = new Set<string>();
    for (const i of big.keep) if (cls[i] !== CLASS_INDEX.success) cells.add(`${Math.floor(px[i]! / s)},${Math.floor(py[i]! / s)}`);
    for (let i = 0; i < n; i++) {
      if (cls[i] === CLASS_INDEX.success) continue;
      assert.ok(cells.has(`${Math.floor(px[i]! / s)},${Math.floor(py[i]! / s)}`), `failure ${i} visible`);
    }
    // Successes are drawn first so failures sit on top.
    const firstFailure = [...big.keep].findIndex((i) => cls[i] !== CLASS_INDEX.success);
    assert.ok([...big.keep].slice(firstFailure).every((i) => cls[i] !== CLASS_INDEX.success));
  });
});
