// Knobs of the reference target and the presets that set them together.
// Each knob is one of the optimisations report's suspects and works through
// a real mechanism (see server.ts, pool.ts, cache.ts, db.ts).

export interface TargetOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** HTTP Basic credentials of every /party-api/v1 route. */
  user: string;
  password: string;
  /** PostgreSQL server URL; unset = embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory; unset = in memory. Ignored with databaseUrl. */
  dataDir?: string;
  /** PostgreSQL schema holding the tables (a server may be shared). */
  schema: string;
  /** Drop and recreate the tables at start. */
  resetSchema: boolean;
  /** SQLAlchemy QueuePool pool_size: connections kept open. */
  poolSize: number;
  /** SQLAlchemy max_overflow: extra connections opened under load, closed when returned. */
  maxOverflow: number;
  /** SQLAlchemy pool_timeout in ms: wait for a connection before answering 500. */
  poolTimeoutMs: number;
  /** GET cache TTL in seconds (Flask-Caching SimpleCache); 0 = no cache. */
  cacheTtlS: number;
  /** SimpleCache threshold: most entries kept. */
  cacheMaxItems: number;
  /** Index on business.business_ref. */
  refIndex: boolean;
  /** Most concurrent client connections; beyond it new ones are closed unanswered. 0 = no limit. */
  maxConnections: number;
  /** Extra time each database session holds its connection (a slow database). */
  queryDelayMs: number;
  /**
   * Read requests (GET/HEAD on /party-api/v1, after auth) served at full speed
   * before the database degrades; the server numbers them in arrival order,
   * from 1, and request degradeAfter + 1 is the first slow one. 0 = never.
   */
  degradeAfter: number;
  /** From the onset on, each database session holds its connection this much longer (added to queryDelayMs). */
  degradeDelayMs: number;
  /** HTTP keep-alive; off = every answer closes its connection (Werkzeug's HTTP/1.0 dev server). */
  keepAlive: boolean;
  /** No log lines (tests, in-process use). */
  quiet: boolean;
  /** Name of the preset the options started from (shown in /metrics). */
  preset: string;
}

export const DEFAULTS: TargetOptions = {
  port: 8081,
  user: 'admin',
  password: 'secret',
  schema: 'public',
  resetSchema: false,
  // ras-party sets no pool options: SQLAlchemy's defaults.
  poolSize: 5,
  maxOverflow: 10,
  poolTimeoutMs: 30_000,
  cacheTtlS: 0,
  cacheMaxItems: 500,
  // ras-party declares business_ref unique, which gives it an index.
  refIndex: true,
  maxConnections: 0,
  queryDelayMs: 0,
  degradeAfter: 0,
  degradeDelayMs: 0,
  keepAlive: true,
  quiet: false,
  preset: 'baseline',
};

export type PresetName = 'baseline' | 'report-baseline' | 'pool-100' | 'cached' | 'degrading';

/**
 * The service as the report measured it, through real mechanisms: every
 * database session holds its pooled connection 1.5 s (the report's single-route
 * run had a 6.9 s median: a slow database), so 5 + 10 connections serve at
 * most 10 requests/s; requests beyond that queue for a connection (pool
 * timeout 30 s -> 500) while holding their HTTP connection open; the server
 * takes at most 200 connections at once and closes any beyond (the report's
 * Flask server, unable to start a thread: No Response); and every answer
 * closes its connection, as Werkzeug's dev server does.
 */
const REPORT: Partial<TargetOptions> = { queryDelayMs: 1500, maxConnections: 200, keepAlive: false };

/** What each preset changes from DEFAULTS. */
export const PRESETS: Record<PresetName, Partial<TargetOptions>> = {
  // The target at full speed: nothing slowed, no limit (npm start's default).
  baseline: {},
  // The service as the report measured it (see REPORT).
  'report-baseline': REPORT,
  // The report's "single route with 100 connections": the same service with pool_size 100.
  'pool-100': { ...REPORT, poolSize: 100 },
  // The report's SimpleCache run: the same service with Flask-Caching's documented example, timeout 50 s.
  cached: { ...REPORT, cacheTtlS: 50 },
  // A known onset for tests of degradation detection: baseline for 1000 read
  // requests (~67 s at 15/s), then every session holds its connection 1.5 s,
  // so 5 + 10 connections serve at most 10 requests/s.
  degrading: { degradeAfter: 1000, degradeDelayMs: 1500 },
};

export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}

/** Defaults, then the preset, then explicit options. */
export function resolveOptions(opts: Partial<TargetOptions> & { preset?: string } = {}): TargetOptions {
  const preset = opts.preset ?? 'baseline';
  if (!isPresetName(preset)) {
    throw new Error(`unknown preset '${preset}' (known: ${Object.keys(PRESETS).join(', ')})`);
  }
  const defined = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  const o: TargetOptions = { ...DEFAULTS, ...PRESETS[preset], ...defined, preset };
  const nonNegative: (keyof TargetOptions)[] = ['port', 'maxOverflow', 'poolTimeoutMs', 'cacheTtlS', 'maxConnections', 'queryDelayMs', 'degradeDelayMs'];
  for (const k of nonNegative) {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${k} must be a number >= 0, got ${String(v)}`);
  }
  if (!Number.isInteger(o.poolSize) || o.poolSize < 1) throw new Error(`poolSize must be an integer >= 1, got ${o.poolSize}`);
  // A count of requests: the onset must be exact.
  if (!Number.isInteger(o.degradeAfter) || o.degradeAfter < 0) throw new Error(`degradeAfter must be an integer >= 0 (0 = never degrade), got ${o.degradeAfter}`);
  if (!Number.isInteger(o.cacheMaxItems) || o.cacheMaxItems < 1) throw new Error(`cacheMaxItems must be an integer >= 1`);
  if (!/^[a-z_][a-z0-9_]*$/i.test(o.schema)) throw new Error(`schema must be a plain SQL identifier, got '${o.schema}'`);
  return o;
}
