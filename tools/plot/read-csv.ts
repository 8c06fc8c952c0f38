// k6 `--out csv`: streams the file through a byte-level record filter that
// drops every metric but http_req_duration, then papaparse's streaming parser
// (a k6 CSV carries ~16 lines per request; parsing all would dominate).

import type { Readable } from 'node:stream';
import Papa from 'papaparse';
import { PlotError } from './errors.ts';
import { CsvRecordFilter } from './line-filter.ts';
import type { RawRequest, RequestSink, TimeResolution } from './request.ts';
import { emptyRequest } from './request.ts';

const METRIC = 'http_req_duration';
const REQUIRED = ['metric_name', 'timestamp', 'metric_value', 'status', 'error_code', 'scenario', 'extra_tags'] as const;

export interface CsvStats {
  /** Decompressed bytes read. */
  bytes: number;
  requests: number;
  resolution: TimeResolution;
}

export async function readCsv(path: string, input: Readable, sink: RequestSink): Promise<CsvStats> {
  const filter = new CsvRecordFilter(METRIC);
  input.on('error', (e) => filter.destroy(e));
  const text = input.pipe(filter);
  text.setEncoding('utf8');

  let col: Columns | undefined;
  let resolution: TimeResolution | undefined;
  let toMs: (s: string) => number = Number;
  let requests = 0;
  const req = emptyRequest();
  const tagCache = new Map<string, Tags>();
  let failure: unknown;

  const onRow = (row: string[]): void => {
    if (!col) {
      col = headerIndex(path, row);
      return;
    }
    if (row.length < 3 || row[col.metric_name] !== METRIC) return;
    if (!resolution) {
      [resolution, toMs] = timeParser(path, row[col.timestamp]!);
    }
    fill(req, row, col, toMs, tagCache);
    requests++;
    sink(req);
  };

  await new Promise<void>((resolve, reject) => {
    text.on('error', reject);
    Papa.parse<string[]>(text as unknown as File, {
      header: false,
      skipEmptyLines: true,
      chunk(results, parser) {
        try {
          for (const row of results.data) onRow(row);
        } catch (e) {
          failure = e;
          parser.abort();
        }
      },
      complete: () => (failure ? reject(failure) : resolve()),
      error: (e: Error) => reject(e),
    });
  });
  if (!col) throw new PlotError(`${path}: CSV has no header row`);
  return { bytes: filter.bytes, requests, resolution: resolution ?? 'ms' };
}

interface Tags {
  route: string;
  count: string;
  offset: string;
}

function fill(
  req: RawRequest,
  row: string[],
  col: Columns,
  toMs: (s: string) => number,
  tagCache: Map<string, Tags>,
): void {
  req.timeMs = toMs(row[col.timestamp]!);
  req.durationMs = Number(row[col.metric_value]);
  req.status = Number(row[col.status]) || 0;
  req.errorCode = Number(row[col.error_code]) || 0;
  req.scenario = row[col.scenario] ?? '';
  // Optional: a CSV written with fewer system tags still plots.
  req.group = col.group >= 0 ? row[col.group] ?? '' : '';
  // Go writes the extra tags in map order, so one scenario yields a few
  // permutations of the same string: caching by the raw string still pays.
  const raw = row[col.extra_tags] ?? '';
  let tags = tagCache.get(raw);
  if (!tags) {
    tags = parseExtraTags(raw);
    tagCache.set(raw, tags);
  }
  req.route = tags.route;
  req.count = tags.count;
  req.offset = tags.offset;
}

/** `route=x&count=y&offset=z` (any order, values may be %-encoded). */
export function parseExtraTags(raw: string): Tags {
  const tags: Tags = { route: '', count: '', offset: '' };
  if (!raw) return tags;
  for (const pair of raw.split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const key = pair.slice(0, eq);
    if (key !== 'route' && key !== 'count' && key !== 'offset') continue;
    let value = pair.slice(eq + 1);
    if (value.includes('%')) {
      try {
        value = decodeURIComponent(value);
      } catch {
        /* keep it as written */
      }
    }
    tags[key] = value;
  }
  return tags;
}

type Columns = Record<(typeof REQUIRED)[number] | 'group', number>;

function headerIndex(path: string, header: string[]): Columns {
  const out = { group: header.indexOf('group') } as Columns;
  const missing: string[] = [];
  for (const name of REQUIRED) {
    const i = header.indexOf(name);
    if (i < 0) missing.push(name);
    out[name] = i;
  }
  if (missing.length) {
    throw new PlotError(`${path}: CSV header lacks ${missing.join(', ')}; expected k6 --out csv columns`);
  }
  return out;
}

/**
 * k6 writes whole seconds by default (K6_CSV_TIME_FORMAT=unix), or unix_milli /
 * unix_micro / unix_nano, or rfc3339. The magnitude of the first stamp tells
 * the epoch units apart for any date between 1973 and 5138.
 */
export function timeParser(path: string, sample: string): [TimeResolution, (s: string) => number] {
  const n = Number(sample);
  if (sample !== '' && Number.isFinite(n)) {
    if (n < 1e11) return ['s', (s) => Number(s) * 1000];
    if (n < 1e14) return ['ms', Number];
    if (n < 1e17) return ['us', (s) => Number(s) / 1e3];
    return ['ns', (s) => Number(s) / 1e6];
  }
  if (Number.isFinite(Date.parse(sample))) {
    const frac = /\.(\d+)/.exec(sample);
    const res: TimeResolution = !frac ? 's' : frac[1]!.length >= 3 ? 'ms' : 's';
    return [res, (s) => Date.parse(s)];
  }
  throw new PlotError(`${path}: timestamp ${JSON.stringify(sample)} is neither a unix time nor RFC 3339`);
}
