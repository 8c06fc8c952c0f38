// k6 `--out json`: one JSON object a line. Only `Point`s of http_req_duration
// matter; a byte-level filter skips the other ~16 lines per request unparsed.

import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { PlotError } from './errors.ts';
import { LineContainsFilter } from './line-filter.ts';
import type { RequestSink, TimeResolution } from './request.ts';
import { emptyRequest } from './request.ts';

const METRIC = 'http_req_duration';
const NEEDLE = `"${METRIC}"`;

interface PointLine {
  type?: string;
  metric?: string;
  data?: { time?: string; value?: number; tags?: Record<string, string> | null };
}

export interface NdjsonStats {
  /** Decompressed bytes read. */
  bytes: number;
  requests: number;
  resolution: TimeResolution;
}

export async function readNdjson(path: string, input: Readable, sink: RequestSink): Promise<NdjsonStats> {
  // Only lines naming the metric reach readline and JSON.parse.
  const filter = new LineContainsFilter(NEEDLE);
  input.on('error', (e) => filter.destroy(e));
  const lines = createInterface({ input: input.pipe(filter), crlfDelay: Infinity });
  const req = emptyRequest();
  let requests = 0;
  for await (const line of lines) {
    let obj: PointLine;
    try {
      obj = JSON.parse(line) as PointLine;
    } catch {
      throw new PlotError(`${path}: a line naming ${METRIC} is not JSON (${JSON.stringify(line.slice(0, 60))}); expected k6 --out json lines`);
    }
    if (obj.type !== 'Point' || obj.metric !== METRIC || !obj.data) continue;
    const tags = obj.data.tags ?? {};
    req.timeMs = parseTime(obj.data.time);
    if (!Number.isFinite(req.timeMs)) {
      throw new PlotError(`${path}: ${METRIC} point time ${JSON.stringify(obj.data.time)} is not RFC 3339`);
    }
    req.durationMs = Number(obj.data.value);
    req.status = Number(tags.status) || 0;
    req.errorCode = Number(tags.error_code) || 0;
    req.scenario = tags.scenario ?? '';
    req.group = tags.group ?? '';
    req.route = tags.route ?? '';
    req.count = tags.count ?? '';
    req.offset = tags.offset ?? '';
    requests++;
    sink(req);
  }
  return { bytes: filter.bytes, requests, resolution: 'ns' };
}

/** RFC 3339 with up to nanoseconds; keeps sub-millisecond digits Date.parse drops. */
export function parseTime(time: string | undefined): number {
  if (!time) return NaN;
  const ms = Date.parse(time);
  const frac = /\.\d{3}(\d{1,6})/.exec(time);
  return frac ? ms + Number(`0.${frac[1]}`) : ms;
}
