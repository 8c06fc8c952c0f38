// What the readers hand on for each `http_req_duration` point: the facts the
// plot needs, nothing classified yet.

/** Setup's and teardown's requests (preflight, cleanup) are no planned load: no panel shows them. */
export const isSetupOrTeardown = (r: RawRequest): boolean => r.group.startsWith('::setup') || r.group.startsWith('::teardown');

export interface RawRequest {
  /** Sample timestamp, ms since the epoch. k6 stamps http_req_* samples when the response ends. */
  timeMs: number;
  durationMs: number;
  /** 0 when no response arrived. */
  status: number;
  /** k6's error_code, 0 when absent. */
  errorCode: number;
  scenario: string;
  /** k6's `group` tag: '' for the load, `::setup` / `::teardown` for setup's preflight and teardown's cleanup. */
  group: string;
  /** The `route` tag; '' when the request had none. */
  route: string;
  /** The `count` / `offset` tags as written ('' when absent). */
  count: string;
  offset: string;
}

/** Readers reuse one object per call: copy what you keep. */
export type RequestSink = (r: RawRequest) => void;

export type TimeResolution = 'ns' | 'us' | 'ms' | 's';

export interface ReadResult {
  format: 'csv' | 'ndjson';
  gzip: boolean;
  /** Decompressed bytes read. */
  bytes: number;
  requests: number;
  resolution: TimeResolution;
  warnings: string[];
}

export function emptyRequest(): RawRequest {
  return { timeMs: 0, durationMs: 0, status: 0, errorCode: 0, scenario: '', group: '', route: '', count: '', offset: '' };
}
