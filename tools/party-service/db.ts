// The database behind the target: embedded PGlite (default) or a PostgreSQL
// server through pg.Pool. Either way every session first takes a slot from
// the BoundedPool (QueuePool semantics), so pool waits and timeouts behave
// the same; with a server each slot is also one real server connection.

import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BoundedPool } from './pool.ts';
import type { TargetOptions } from './presets.ts';

export interface Sql {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
}

/** Called around each session so /metrics can count started/completed. */
export interface SessionHooks {
  started(route: string): void;
  completed(route: string): void;
  failed(route: string, err: unknown): void;
}

export interface SessionOptions {
  transaction?: boolean;
  /** Added to queryDelayMs for this session (the degrading knob, decided per request by server.ts). */
  extraDelayMs?: number;
}

export interface Database {
  readonly kind: 'pglite' | 'pg';
  /** Runs fn holding one pooled connection; in one transaction when asked; extraDelayMs holds it longer than queryDelayMs. */
  session<T>(route: string, fn: (sql: Sql) => Promise<T>, opts?: SessionOptions): Promise<T>;
  close(): Promise<void>;
}

// Modelled on ras-party's models.py (business, business_attributes).
// business_ref carries no unique constraint here so that its index is a knob;
// writes to one ref are serialised by an advisory lock instead (store.ts).
function schemaSql(o: TargetOptions): string {
  const reset = o.resetSchema ? 'DROP TABLE IF EXISTS business_attributes; DROP TABLE IF EXISTS business;' : '';
  const refIndex = o.refIndex
    ? 'CREATE INDEX IF NOT EXISTS business_ref_idx ON business (business_ref);'
    : 'DROP INDEX IF EXISTS business_ref_idx;';
  return `
    ${reset}
    CREATE TABLE IF NOT EXISTS business (
      party_uuid uuid PRIMARY KEY,
      business_ref text NOT NULL,
      created_on timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
    );
    CREATE TABLE IF NOT EXISTS business_attributes (
      id serial PRIMARY KEY,
      business_id uuid REFERENCES business (party_uuid),
      sample_summary_id text,
      collection_exercise text,
      attributes jsonb,
      created_on timestamp NOT NULL DEFAULT (clock_timestamp() AT TIME ZONE 'utc'),
      name text,
      trading_as text
    );
    CREATE INDEX IF NOT EXISTS attributes_business_idx ON business_attributes (business_id);
    CREATE INDEX IF NOT EXISTS attributes_sample_summary_idx ON business_attributes (sample_summary_id);
    CREATE INDEX IF NOT EXISTS attributes_business_sample_idx ON business_attributes (business_id, sample_summary_id);
    ${refIndex}
  `;
}

export async function openDatabase(o: TargetOptions, pool: BoundedPool, hooks: SessionHooks): Promise<Database> {
  return o.databaseUrl ? openPg(o, pool, hooks) : openPglite(o, pool, hooks);
}

async function withHooks<T>(hooks: SessionHooks, route: string, run: () => Promise<T>): Promise<T> {
  hooks.started(route);
  try {
    const r = await run();
    hooks.completed(route);
    return r;
  } catch (err) {
    hooks.failed(route, err);
    throw err;
  }
}

async function openPglite(o: TargetOptions, pool: BoundedPool, hooks: SessionHooks): Promise<Database> {
  const db = await PGlite.create(o.dataDir ? { dataDir: o.dataDir } : {});
  if (o.schema !== 'public') await db.exec(`CREATE SCHEMA IF NOT EXISTS ${o.schema}; SET search_path TO ${o.schema};`);
  await db.exec(schemaSql(o));
  const direct: Sql = { query: async (t, p) => (await db.query(t, p)).rows as never };
  return {
    kind: 'pglite',
    session: (route, fn, opts) =>
      withHooks(hooks, route, async () => {
        await pool.acquire();
        try {
          // PGlite runs in this thread: pg_sleep would stall the whole event
          // loop, so a slow database is modelled by holding the slot instead.
          const hold = o.queryDelayMs + (opts?.extraDelayMs ?? 0);
          if (hold > 0) await sleep(hold);
          if (!opts?.transaction) return await fn(direct);
          return await db.transaction((tx) => fn({ query: async (t, p) => (await tx.query(t, p)).rows as never }));
        } finally {
          pool.release();
        }
      }),
    close: async () => {
      pool.close();
      await db.close();
    },
  };
}

async function openPg(o: TargetOptions, pool: BoundedPool, hooks: SessionHooks): Promise<Database> {
  const pgPool = new pg.Pool({
    connectionString: o.databaseUrl,
    // One server connection per slot; the slot gate above already queued.
    max: pool.capacity,
    connectionTimeoutMillis: o.poolTimeoutMs > 0 ? o.poolTimeoutMs : 1,
    idleTimeoutMillis: 30_000,
    options: `-c search_path=${o.schema}`,
  });
  pgPool.on('error', () => {
    /* an idle client lost its server connection; the next checkout opens a new one */
  });
  const setup = await pgPool.connect();
  try {
    await setup.query(`CREATE SCHEMA IF NOT EXISTS ${o.schema}`);
    await setup.query(schemaSql(o));
  } finally {
    setup.release();
  }
  return {
    kind: 'pg',
    session: (route, fn, opts) =>
      withHooks(hooks, route, async () => {
        await pool.acquire();
        // Overflow connections are closed when returned, as QueuePool does.
        const overflow = pool.stats.inUse > o.poolSize;
        let client: pg.PoolClient | undefined;
        let broken = false;
        try {
          client = await pgPool.connect();
          const c = client;
          const sql: Sql = { query: async (t, p) => (await c.query(t, p)).rows };
          const hold = o.queryDelayMs + (opts?.extraDelayMs ?? 0);
          if (hold > 0) await c.query('SELECT pg_sleep($1)', [hold / 1000]);
          if (!opts?.transaction) return await fn(sql);
          await c.query('BEGIN');
          try {
            const r = await fn(sql);
            await c.query('COMMIT');
            return r;
          } catch (err) {
            await c.query('ROLLBACK').catch(() => (broken = true));
            throw err;
          }
        } catch (err) {
          if (isConnectionError(err)) broken = true;
          throw err;
        } finally {
          client?.release(broken || overflow);
          pool.release();
        }
      }),
    close: async () => {
      pool.close();
      await pgPool.end();
    },
  };
}

// A client whose server connection failed must not go back to pg.Pool.
function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string') return e.code.startsWith('08') || e.code.startsWith('57');
  return typeof e?.message === 'string' && /connection|terminat/i.test(e.message);
}
