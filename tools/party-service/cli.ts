// `npm run target -- [flags]`: the reference party service on 127.0.0.1.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { DEFAULTS, PRESETS, resolveOptions } from './presets.ts';
import type { TargetOptions } from './presets.ts';
import { startTarget } from './server.ts';

export { startTarget } from './server.ts';
export type { RunningTarget } from './server.ts';

const USAGE = `Usage: npm run target -- [flags]

  --port N               TCP port on 127.0.0.1 (default ${DEFAULTS.port}; 0 = any free port)
  --preset NAME          ${Object.keys(PRESETS).join(' | ')} (default baseline)
  --user U / --password P  Basic auth (env SECURITY_USER_NAME / SECURITY_USER_PASSWORD; default admin / secret)
  --database-url URL     PostgreSQL server (env DATABASE_URL); default embedded PGlite
  --data-dir DIR         PGlite data directory (default in memory)
  --schema NAME          schema for the tables (default public)
  --reset                drop and recreate the tables at start
  --pool-size N          SQLAlchemy pool_size (default ${DEFAULTS.poolSize})
  --max-overflow N       SQLAlchemy max_overflow (default ${DEFAULTS.maxOverflow})
  --pool-timeout S       SQLAlchemy pool_timeout, seconds (default ${DEFAULTS.poolTimeoutMs / 1000})
  --cache-ttl S          GET cache TTL in seconds, 0 = off (default 0; preset cached: 50)
  --cache-max N          cache threshold, entries (default ${DEFAULTS.cacheMaxItems})
  --ref-index on|off     index on business.business_ref (default on)
  --max-connections N    concurrent client connections, 0 = no limit (default 0)
  --query-delay-ms N     each database session holds its connection N ms longer (default 0)
  --degrade-after N      read requests at full speed; from read N + 1 on the database is slow, 0 = never (default 0; preset degrading: 1000)
  --degrade-delay-ms N   from the onset each session holds its connection N ms longer (default 0; preset degrading: 1500)
  --keep-alive on|off    HTTP keep-alive; off closes every connection after its answer (default on)
  --quiet                no log lines
  -h, --help`;

function num(name: string, v: string | undefined, scale = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`--${name} expects a number, got '${v}'`);
  return n * scale;
}

function onOff(name: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (/^(on|true|1|yes)$/i.test(v)) return true;
  if (/^(off|false|0|no)$/i.test(v)) return false;
  throw new Error(`--${name} expects on or off, got '${v}'`);
}

export function parseTargetArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): Partial<TargetOptions> & { preset?: string; help?: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      preset: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      schema: { type: 'string' },
      reset: { type: 'boolean' },
      'pool-size': { type: 'string' },
      'max-overflow': { type: 'string' },
      'pool-timeout': { type: 'string' },
      'cache-ttl': { type: 'string' },
      'cache-max': { type: 'string' },
      'ref-index': { type: 'string' },
      'max-connections': { type: 'string' },
      'query-delay-ms': { type: 'string' },
      'degrade-after': { type: 'string' },
      'degrade-delay-ms': { type: 'string' },
      'keep-alive': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    help: values.help,
    preset: values.preset,
    port: num('port', values.port),
    user: values.user ?? env.SECURITY_USER_NAME,
    password: values.password ?? env.SECURITY_USER_PASSWORD,
    databaseUrl: values['database-url'] ?? (env.DATABASE_URL || undefined),
    dataDir: values['data-dir'],
    schema: values.schema,
    resetSchema: values.reset,
    poolSize: num('pool-size', values['pool-size']),
    maxOverflow: num('max-overflow', values['max-overflow']),
    poolTimeoutMs: num('pool-timeout', values['pool-timeout'], 1000),
    cacheTtlS: num('cache-ttl', values['cache-ttl']),
    cacheMaxItems: num('cache-max', values['cache-max']),
    refIndex: onOff('ref-index', values['ref-index']),
    maxConnections: num('max-connections', values['max-connections']),
    queryDelayMs: num('query-delay-ms', values['query-delay-ms']),
    degradeAfter: num('degrade-after', values['degrade-after']),
    degradeDelayMs: num('degrade-delay-ms', values['degrade-delay-ms']),
    keepAlive: onOff('keep-alive', values['keep-alive']),
    quiet: values.quiet,
  };
}

function describe(o: TargetOptions): string {
  const db = o.databaseUrl ? `PostgreSQL ${o.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')}` : `PGlite (${o.dataDir ?? 'in memory'})`;
  return [
    `preset ${o.preset}; database ${db}, schema ${o.schema}`,
    `pool size ${o.poolSize}, overflow ${o.maxOverflow}, timeout ${o.poolTimeoutMs / 1000} s`,
    `cache ${o.cacheTtlS > 0 ? `on, TTL ${o.cacheTtlS} s, ${o.cacheMaxItems} entries` : 'off'}; ref index ${o.refIndex ? 'on' : 'off'}`,
    `max connections ${o.maxConnections || 'unlimited'}; keep-alive ${o.keepAlive ? 'on' : 'off'}; query delay ${o.queryDelayMs} ms; auth user '${o.user}'`,
    `degrade ${o.degradeAfter > 0 ? `after ${o.degradeAfter} read requests: +${o.degradeDelayMs} ms per session from read ${o.degradeAfter + 1}` : 'never'}`,
  ].join('\n  ');
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseTargetArgs(process.argv.slice(2));
    if (args.help) {
      console.log(USAGE);
      return;
    }
    resolveOptions(args);
  } catch (err) {
    console.error(`target: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const t = await startTarget(args);
  console.log(`[target] ras-party reference target\n  ${describe(t.options)}`);
  console.log(`[target] listening on ${t.url} (API ${t.url}/party-api/v1, metrics ${t.url}/metrics)`);
  let stopping = false;
  const stop = (sig: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[target] ${sig}: stopping`);
    t.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('[target] stop failed:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error('[target] failed to start:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
