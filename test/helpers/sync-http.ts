// k6's http calls are synchronous; Node's are not. To drive a bundle's exec
// functions against a real server, a worker thread makes each request and the
// caller blocks on Atomics.wait until the answer is in shared memory. The
// server must live in another process or thread (the caller's loop is blocked).
import { Worker } from 'node:worker_threads';
import type { Answer } from './k6.ts';

const WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async ({ sab, req }) => {
  const flag = new Int32Array(sab, 0, 1), len = new Int32Array(sab, 4, 1), bytes = new Uint8Array(sab, 8);
  let out;
  try {
    const r = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body == null ? undefined : req.body, signal: AbortSignal.timeout(req.timeoutMs) });
    const body = await r.text();
    // Header names as k6 gives them (Go's canonical form: Allow, Content-Type).
    const headers = {};
    r.headers.forEach((v, k) => { headers[k.replace(/(^|-)([a-z])/g, (m, d, c) => d + c.toUpperCase())] = v; });
    out = { status: r.status, error_code: r.status >= 400 ? 1000 + r.status : 0, error: '', body, headers };
  } catch (e) {
    const code = (e.cause && e.cause.code) || e.name;
    out = { status: 0, error_code: code === 'ECONNREFUSED' ? 1212 : code === 'ECONNRESET' ? 1220 : code === 'TimeoutError' ? 1050 : 1000, error: String(code), body: null };
  }
  const enc = new TextEncoder().encode(JSON.stringify(out));
  bytes.set(enc.subarray(0, bytes.length));
  len[0] = Math.min(enc.length, bytes.length);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});`;

export interface SyncRequest {
  method: string;
  url: string;
  body?: unknown;
  params?: { headers?: Record<string, string>; timeout?: string | number; responseType?: string };
}

/** k6's timeout param: a number of ms, or a duration such as "500ms" or "10s". */
function timeoutOf(t: string | number | undefined): number {
  if (typeof t === 'number') return t;
  const m = /^(\d+)(ms|s)$/.exec(t ?? '');
  return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : 10_000;
}

/**
 * What Go's HTTP client does with `http://user:password@host`: it sends the
 * userinfo as a Basic Authorization header (unless one is set) and not in
 * the URL. Node's fetch refuses such a URL, so the helper does Go's part.
 */
export function goUserinfo(url: string, headers: Record<string, string>): { url: string; headers: Record<string, string> } {
  const u = new URL(url);
  if (!u.username && !u.password) return { url, headers };
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
  u.username = '';
  u.password = '';
  return { url: u.href, headers: Object.keys(headers).some((k) => k.toLowerCase() === 'authorization') ? headers : { ...headers, Authorization: auth } };
}

/** A `respond` for test/helpers/k6.ts that really sends the request. Call `close()` when done. */
export function syncHttp(): { respond: (req: SyncRequest) => Answer; close: () => Promise<number> } {
  const worker = new Worker(WORKER, { eval: true });
  const respond = (req: SyncRequest): Answer => {
    const sab = new SharedArrayBuffer(8 + (1 << 20));
    const timeoutMs = timeoutOf(req.params?.timeout);
    const { url, headers } = goUserinfo(req.url, req.params?.headers ?? {});
    worker.postMessage({ sab, req: { method: req.method, url, headers, body: req.body ?? null, timeoutMs } });
    const flag = new Int32Array(sab, 0, 1);
    if (Atomics.wait(flag, 0, 0, timeoutMs + 5000) === 'timed-out') return { status: 0, error_code: 1050, error: 'sync-http: no answer from the worker' };
    const len = new Int32Array(sab, 4, 1)[0]!;
    const out = JSON.parse(new TextDecoder().decode(new Uint8Array(sab, 8, len).slice())) as Answer;
    // k6 hands no body unless the request asked for one (discardResponseBodies).
    if (req.params?.responseType !== 'text') delete out.body;
    return out;
  };
  return { respond, close: () => worker.terminate() };
}
