// The reference target's HTTP server: auth, routing, the GET cache, the
// connection limit and /metrics. startTarget() is the programmatic entry
// used by the CLI, the runner, benches and tests.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimpleCache } from './cache.ts';
import { openDatabase } from './db.ts';
import type { Database } from './db.ts';
import { Metrics } from './metrics.ts';
import { HttpError, ServerError, toJson } from './party.ts';
import { BoundedPool, PoolTimeoutError } from './pool.ts';
import { resolveOptions } from './presets.ts';
import type { TargetOptions } from './presets.ts';
import { allowedMethods, API_PREFIX, matchRoute } from './routes.ts';
import type { Answer, RouteContext } from './routes.ts';

export interface RunningTarget {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  options: TargetOptions;
  metrics: Metrics;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_BODY = 1 << 20;
const INFO = toJson({ name: 'ras-party', version: '1.13.0' });
const NOT_FOUND = 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';
const NOT_ALLOWED = 'The method is not allowed for the requested URL.';

function basicAuthOk(header: string | undefined, expected: string, user: string, password: string): boolean {
  if (!header) return false;
  if (header === expected) return true;
  const m = /^basic\s+(\S+)\s*$/i.exec(header);
  if (!m?.[1]) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i >= 0 && decoded.slice(0, i) === user && decoded.slice(i + 1) === password;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'The data value transmitted exceeds the capacity limit.'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startTarget(opts: Partial<TargetOptions> & { preset?: string } = {}): Promise<RunningTarget> {
  const o = resolveOptions(opts);
  const pool = new BoundedPool(o.poolSize, o.maxOverflow, o.poolTimeoutMs);
  const cache = new SimpleCache(o.cacheTtlS * 1000, o.cacheMaxItems);
  const metrics = new Metrics(
    {
      preset: o.preset,
      backend: o.databaseUrl ? 'pg' : 'pglite',
      ref_index: String(o.refIndex),
      cache_ttl_seconds: String(o.cacheTtlS),
      max_connections: String(o.maxConnections),
      query_delay_ms: String(o.queryDelayMs),
      keep_alive: String(o.keepAlive),
      degrade_after: String(o.degradeAfter),
      degrade_delay_ms: String(o.degradeDelayMs),
    },
    () => ({ ...pool.stats, size: o.poolSize, maxOverflow: o.maxOverflow, timeoutMs: o.poolTimeoutMs, overflowInUse: pool.overflowInUse() }),
    () => cache.size,
    o.degradeAfter,
  );

  // Pool timeouts arrive in bursts: log the first, then a count per second.
  let pendingTimeouts = 0;
  let lastLog = 0;
  const logTimeout = (err: PoolTimeoutError) => {
    if (o.quiet) return;
    pendingTimeouts++;
    const now = Date.now();
    if (now - lastLog < 1000) return;
    console.error(`[target] 500: ${err.message}${pendingTimeouts > 1 ? ` (x${pendingTimeouts} since last line)` : ''}`);
    pendingTimeouts = 0;
    lastLog = now;
  };

  const db: Database = await openDatabase(o, pool, {
    started: (r) => metrics.queriesStarted.inc(r),
    completed: (r) => metrics.queriesCompleted.inc(r),
    failed: (r, err) => {
      metrics.queriesFailed.inc(r);
      if (err instanceof PoolTimeoutError) logTimeout(err);
    },
  });

  // The degraded database: the same sessions, each holding its connection degradeDelayMs longer.
  const degradedDb: Database = {
    kind: db.kind,
    session: (route, fn, opts) => db.session(route, fn, { ...opts, extraDelayMs: o.degradeDelayMs }),
    close: () => db.close(),
  };

  const expectedAuth = 'Basic ' + Buffer.from(`${o.user}:${o.password}`).toString('base64');

  const send = (res: http.ServerResponse, route: string, a: Answer) => {
    metrics.response(route, a.status);
    // Without keep-alive Node closes the connection once this answer is sent.
    if (!o.keepAlive) res.setHeader('Connection', 'close');
    res.writeHead(a.status, { 'Content-Type': a.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(a.body) });
    res.end(a.body);
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const method = req.method ?? 'GET';

    if (pathname === '/info' && method === 'GET') return send(res, 'GET /info', { status: 200, body: INFO });
    if (pathname === '/metrics' && method === 'GET') {
      return send(res, 'GET /metrics', { status: 200, body: metrics.render(), contentType: 'text/plain; version=0.0.4; charset=utf-8' });
    }
    if (!pathname.startsWith(API_PREFIX + '/')) return send(res, 'unmatched', { status: 404, body: toJson({ description: NOT_FOUND }) });
    // Flask answers OPTIONS itself, before auth (flask_httpauth lets it through),
    // changing nothing: 200, an empty body and the path's methods in Allow.
    if (method === 'OPTIONS') {
      const allow = allowedMethods(pathname);
      if (allow === null) return send(res, 'unmatched', { status: 404, body: toJson({ description: NOT_FOUND }) });
      res.setHeader('Allow', allow.join(', '));
      return send(res, 'OPTIONS', { status: 200, body: '', contentType: 'text/html; charset=utf-8' });
    }
    const m = matchRoute(method, pathname);
    if ('status' in m) {
      if (m.status === 405) res.setHeader('Allow', (allowedMethods(pathname) ?? []).join(', '));
      return send(res, 'unmatched', { status: m.status, body: toJson({ description: m.status === 404 ? NOT_FOUND : NOT_ALLOWED }) });
    }
    const name = m.route.name;

    // flask_httpauth, in the blueprint's before_request.
    if (!basicAuthOk(req.headers.authorization, expectedAuth, o.user, o.password)) {
      res.setHeader('WWW-Authenticate', 'Basic realm="Authentication Required"');
      return send(res, name, { status: 401, body: 'Unauthorized Access', contentType: 'text/html; charset=utf-8' });
    }
    metrics.hits.inc(name);
    // Numbered here, before any await, so in arrival order. Every request from
    // read number degradeAfter + 1 on (writes arriving after it too) gets the
    // degraded database; one that arrived earlier keeps full speed even if it
    // still waits for a connection, so the onset is exact.
    if (m.route.method === 'GET') metrics.readRequests.inc();
    const degraded = o.degradeAfter > 0 && metrics.readRequests.get() > o.degradeAfter;

    const cacheKey = rawUrl;
    if (cache.enabled && m.route.cacheable) {
      const hit = cache.get(cacheKey);
      if (hit !== undefined) {
        metrics.cacheHits.inc(name);
        return send(res, name, { status: 200, body: hit });
      }
      metrics.cacheMisses.inc(name);
    }

    const ctx: RouteContext = {
      db: degraded ? degradedDb : db,
      query: new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)),
      json: async () => {
        const text = await readBody(req);
        if (!/^application\/(.+\+)?json\b/i.test(req.headers['content-type'] ?? '')) return undefined;
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new HttpError(400, 'Failed to decode JSON object: the body is not valid JSON');
        }
      },
    };
    let answer: Answer;
    try {
      answer = await m.route.handle(m.params, ctx);
    } catch (err) {
      if (err instanceof HttpError) answer = { status: err.status, body: toJson({ description: err.description }) };
      else {
        // Flask's handler for uncaught exceptions (pool timeouts included).
        if (!o.quiet && !(err instanceof PoolTimeoutError) && !(err instanceof ServerError)) console.error(`[target] 500 on ${method} ${pathname}:`, err);
        answer = { status: 500, body: toJson({}) };
      }
    }
    if (answer.status === 200 && cache.enabled && m.route.cacheable) cache.set(cacheKey, answer.body);
    send(res, name, answer);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!o.quiet) console.error('[target] request failed:', err);
      if (!res.headersSent) send(res, 'unmatched', { status: 500, body: toJson({}) });
      else res.destroy();
    });
  });
  // Beyond maxConnections Node closes each new connection without reading or
  // answering it: what the report's Flask dev server did when it could not
  // start a thread. Clients see the connection closed/reset (k6: status 0).
  if (o.maxConnections > 0) server.maxConnections = o.maxConnections;
  server.on('drop', () => metrics.connectionsDropped.inc());
  server.on('connection', (socket) => {
    metrics.connectionsAccepted.inc();
    metrics.openConnections++;
    socket.once('close', () => metrics.openConnections--);
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${port}`,
    options: { ...o, port },
    metrics,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await db.close();
      })()),
  };
}
