// Synthetic k6 raw output for the bench and tests: the same columns, tags and
// error codes k6 v0.49 writes (see test/fixtures/k6-v0.49), with a
// latency ramp like the report's and a sprinkle of every failure class.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { mulberry32 } from '../../lib/rng.ts';

export interface SynthOptions {
  requests: number;
  format: 'csv' | 'ndjson';
  gzip: boolean;
  /** CSV timestamps: K6_CSV_TIME_FORMAT=unix_milli ('ms') or k6's default whole seconds ('s'). */
  time?: 'ms' | 's';
  /** Also write the ~15 other metric lines k6 writes per request (default: http_reqs only). */
  full?: boolean;
  routes?: string[];
  seed?: number;
  /** Epoch ms of the first request. */
  startMs?: number;
}

export interface SynthRequest {
  route: string;
  scenario: string;
  count: number;
  offset: number;
  /** k6's sample time (response end), ms. */
  timeMs: number;
  durationMs: number;
  status: number;
  errorCode: number;
}

const HEADER = 'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';
const OTHER_METRICS = ['http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving', 'http_req_failed', 'data_sent', 'data_received', 'iteration_duration', 'iterations', 'responses', 'checks', 'vus'];
const OFFSETS = [1, 2];

/** Every request the generator would write, in order (tests compare against this). */
export function* synthRequests(o: SynthOptions): Generator<SynthRequest> {
  const routes = o.routes ?? ['query', 'id', 'ref'];
  const rand = mulberry32(o.seed ?? 1);
  const scenarios = routes.flatMap((route) => OFFSETS.map((offset) => ({ route, offset })));
  const per = Math.floor(o.requests / scenarios.length);
  let t = o.startMs ?? 1_795_785_011_714;
  let left = o.requests;
  for (let s = 0; s < scenarios.length; s++) {
    const { route, offset } = scenarios[s]!;
    const count = s === scenarios.length - 1 ? left : Math.min(per, left);
    left -= count;
    const scenario = `${route}_c${count}_o${offset}`;
    for (let k = 0; k < count; k++) {
      // Latency climbs through a fast scenario towards a plateau, as in the report.
      const load = offset === 1 ? Math.min(1, ((k / Math.max(1, count)) * 1.6) ** 2) : 0.02;
      const base = 2 + 8 * rand() ** 3;
      let durationMs = base * (1 + 1600 * load * (0.6 + 0.8 * rand()));
      let status = 200;
      let errorCode = 0;
      const r = rand();
      if (r < 0.003) [status, errorCode] = [404, 1404];
      else if (r < 0.01) [status, errorCode] = [500, 1500];
      else if (r < 0.0125) [status, errorCode, durationMs] = [0, 1050, 60_000 + rand() * 5];
      else if (r < 0.015) [status, errorCode, durationMs] = [0, 1220, rand() * 3];
      else if (r < 0.017) [status, errorCode] = [429, 1429];
      const sent = t + k * offset;
      yield { route, scenario, count, offset, timeMs: sent + durationMs, durationMs, status, errorCode };
    }
    t += count * offset + 2000;
  }
}

export async function writeSynth(path: string, o: SynthOptions): Promise<number> {
  const file = createWriteStream(path);
  const out: Writable = o.gzip ? createGzip({ level: 1 }) : file;
  if (o.gzip) out.pipe(file);
  let buf: string[] = [];
  const flush = async () => {
    if (!out.write(buf.join(''))) await once(out, 'drain');
    buf = [];
  };
  if (o.format === 'csv') buf.push(HEADER + '\n');
  else buf.push(`{"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"http_req_duration"}\n`);
  let n = 0;
  for (const r of synthRequests(o)) {
    n++;
    const lines = o.format === 'csv' ? csvLines(r, o) : ndjsonLines(r, o);
    buf.push(lines);
    if (buf.length >= 4096) await flush();
  }
  await flush();
  out.end();
  await once(file, 'close');
  return n;
}

function csvLines(r: SynthRequest, o: SynthOptions): string {
  const ts = o.time === 's' ? String(Math.floor(r.timeMs / 1000)) : String(Math.floor(r.timeMs));
  const failed = r.status !== 200;
  const error = r.status === 0 ? (r.errorCode === 1050 ? 'request timeout' : 'read: connection reset by peer') : '';
  const code = r.errorCode ? String(r.errorCode) : '';
  const tail = `,,${error},${code},${!failed},,GET,${r.route},HTTP/1.1,${r.scenario},,${r.status},,,${r.route},route=${r.route}&count=${r.count}&offset=${r.offset},\n`;
  let s = `http_reqs,${ts},1.000000${tail}http_req_duration,${ts},${r.durationMs.toFixed(6)}${tail}`;
  if (o.full) for (const m of OTHER_METRICS) s += `${m},${ts},${(r.durationMs / 7).toFixed(6)}${tail}`;
  return s;
}

function ndjsonLines(r: SynthRequest, o: SynthOptions): string {
  const time = new Date(Math.floor(r.timeMs)).toISOString().replace('Z', `${String(Math.floor((r.timeMs % 1) * 1e6)).padStart(6, '0')}Z`);
  const tags: Record<string, string> = { count: String(r.count), expected_response: String(r.status === 200), group: '', method: 'GET', name: r.route, offset: String(r.offset), proto: 'HTTP/1.1', route: r.route, scenario: r.scenario, status: String(r.status), url: r.route };
  if (r.errorCode) tags.error_code = String(r.errorCode);
  const point = (metric: string, value: number) => JSON.stringify({ metric, type: 'Point', data: { time, value, tags } }) + '\n';
  let s = point('http_reqs', 1) + point('http_req_duration', r.durationMs);
  if (o.full) for (const m of OTHER_METRICS) s += point(m, r.durationMs / 7);
  return s;
}

