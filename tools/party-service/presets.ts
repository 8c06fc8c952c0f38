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
  quiet: false,
  preset: 'baseline',
};

export type PresetName = 'baseline' | 'pool-100' | 'cached';

/** What each preset changes from DEFAULTS. */
export const PRESETS: Record<PresetName, Partial<TargetOptions>> = {
  // The service as the report measured it.
  baseline: {},
  // The report's "single route with 100 connections": pool_size 100.
  'pool-100': { poolSize: 100 },
  // The report's SimpleCache run: Flask-Caching's documented example, timeout 50 s.
  cached: { cacheTtlS: 50 },
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
  const nonNegative: (keyof TargetOptions)[] = ['port', 'maxOverflow', 'poolTimeoutMs', 'cacheTtlS', 'maxConnections', 'queryDelayMs'];
  for (const k of nonNegative) {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${k} must be a number >= 0, got ${String(v)}`);
  }
  if (!Number.isInteger(o.poolSize) || o.poolSize < 1) throw new Error(`poolSize must be an integer >= 1, got ${o.poolSize}`);
  if (!Number.isInteger(o.cacheMaxItems) || o.cacheMaxItems < 1) throw new Error(`cacheMaxItems must be an integer >= 1`);
  if (!/^[a-z_][a-z0-9_]*$/i.test(o.schema)) throw new Error(`schema must be a plain SQL identifier, got '${o.schema}'`);
  return o;
}
