// The party service's queries, as SQLAlchemy issues them: every read loads
// the business with all of its attribute versions (the relationship is
// lazy="joined", ordered newest first), then picks the active version in code.

import { randomUUID } from 'node:crypto';
import type { Sql } from './db.ts';

export interface AttributeVersion {
  id: number;
  sampleSummaryId: string | null;
  collectionExercise: string | null;
  attributes: Record<string, unknown>;
  name: string | null;
  tradingAs: string | null;
}

export interface BusinessRecord {
  id: string;
  ref: string;
  /** Newest first. */
  versions: AttributeVersion[];
}

interface JoinedRow {
  party_uuid: string;
  business_ref: string;
  attr_id: number | null;
  sample_summary_id: string | null;
  collection_exercise: string | null;
  attributes: Record<string, unknown> | null;
  name: string | null;
  trading_as: string | null;
}

const SELECT = `
  SELECT b.party_uuid, b.business_ref, a.id AS attr_id, a.sample_summary_id, a.collection_exercise,
         a.attributes, a.name, a.trading_as
  FROM business b LEFT JOIN business_attributes a ON a.business_id = b.party_uuid`;
const ORDER = 'ORDER BY b.business_ref, a.created_on DESC, a.id DESC';

function group(rows: JoinedRow[]): BusinessRecord[] {
  const out: BusinessRecord[] = [];
  let cur: BusinessRecord | undefined;
  for (const r of rows) {
    if (!cur || cur.id !== r.party_uuid) {
      cur = { id: r.party_uuid, ref: r.business_ref, versions: [] };
      out.push(cur);
    }
    if (r.attr_id !== null) {
      cur.versions.push({
        id: r.attr_id,
        sampleSummaryId: r.sample_summary_id,
        collectionExercise: r.collection_exercise,
        attributes: r.attributes ?? {},
        name: r.name,
        tradingAs: r.trading_as,
      });
    }
  }
  return out;
}

export async function businessById(sql: Sql, id: string): Promise<BusinessRecord | undefined> {
  return group(await sql.query<JoinedRow>(`${SELECT} WHERE b.party_uuid = $1 ${ORDER}`, [id]))[0];
}

export async function businessByRef(sql: Sql, ref: string): Promise<BusinessRecord | undefined> {
  return group(await sql.query<JoinedRow>(`${SELECT} WHERE b.business_ref = $1 ${ORDER}`, [ref]))[0];
}

export async function businessesByIds(sql: Sql, ids: string[]): Promise<BusinessRecord[]> {
  if (ids.length === 1) return group(await sql.query<JoinedRow>(`${SELECT} WHERE b.party_uuid = $1 ${ORDER}`, ids));
  return group(await sql.query<JoinedRow>(`${SELECT} WHERE b.party_uuid = ANY($1::uuid[]) ${ORDER}`, [ids]));
}

export interface AttributeRow {
  id: number;
  business_id: string;
  sample_summary_id: string | null;
  collection_exercise: string | null;
  attributes: Record<string, unknown> | null;
  created_on: string;
  name: string | null;
  trading_as: string | null;
}

/** GET /businesses/id/<id>/attributes: every version, as BusinessAttributes.to_dict(). */
export async function attributeRows(sql: Sql, id: string): Promise<AttributeRow[]> {
  return sql.query<AttributeRow>(
    `SELECT id, business_id::text AS business_id, sample_summary_id, collection_exercise, attributes,
            to_char(created_on, 'YYYY-MM-DD HH24:MI:SS') AS created_on, name, trading_as
     FROM business_attributes WHERE business_id = $1 ORDER BY created_on DESC, id DESC`,
    [id],
  );
}

export interface NewVersion {
  /** Party id asked for by the body (used only when the business is new). */
  id?: string;
  ref: string;
  sampleSummaryId: string;
  attributes: Record<string, unknown>;
  name: string;
  tradingAs: string;
}

export interface UpsertResult {
  id: string;
  version: NewVersion;
  conflict: boolean;
}

/**
 * businesses_post / parties_post / parties_patch: create the business or add
 * a version of its attributes. Run inside a transaction. With
 * conflictOnSample, an existing version for the same sample is a conflict
 * (POST /parties answers 409).
 */
export async function upsertBusiness(sql: Sql, v: NewVersion, conflictOnSample: boolean): Promise<UpsertResult> {
  // Serialises writers of one ref, as the unique constraint would.
  await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [v.ref]);
  const existing = await sql.query<{ party_uuid: string }>('SELECT party_uuid FROM business WHERE business_ref = $1 LIMIT 1', [v.ref]);
  let id: string;
  if (existing[0]) {
    id = existing[0].party_uuid;
    if (conflictOnSample) {
      const same = await sql.query('SELECT 1 FROM business_attributes WHERE business_id = $1 AND sample_summary_id = $2 LIMIT 1', [id, v.sampleSummaryId]);
      if (same.length > 0) return { id, version: v, conflict: true };
    }
  } else {
    id = v.id ?? randomUUID();
    await sql.query('INSERT INTO business (party_uuid, business_ref) VALUES ($1, $2)', [id, v.ref]);
  }
  await sql.query(
    'INSERT INTO business_attributes (business_id, sample_summary_id, attributes, name, trading_as) VALUES ($1, $2, $3, $4, $5)',
    [id, v.sampleSummaryId, JSON.stringify(v.attributes), v.name, v.tradingAs],
  );
  return { id, version: v, conflict: false };
}

/** businesses_sample_ce_link: every version of the sample gets the collection exercise. */
export async function linkSample(sql: Sql, sampleSummaryId: string, collectionExerciseId: string): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    'WITH u AS (UPDATE business_attributes SET collection_exercise = $1 WHERE sample_summary_id = $2 RETURNING 1) SELECT count(*)::int AS n FROM u',
    [collectionExerciseId, sampleSummaryId],
  );
  return rows[0]?.n ?? 0;
}

/** delete_attributes_by_sample_summary_id. */
export async function deleteSampleAttributes(sql: Sql, sampleSummaryId: string): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    'WITH d AS (DELETE FROM business_attributes WHERE sample_summary_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM d',
    [sampleSummaryId],
  );
  return rows[0]?.n ?? 0;
}
