// The party API's routes: URL matching and one handler each, mirroring
// ras-party's views and controllers. Handlers return an Answer; HttpError
// becomes {"description": ...}, anything else 500 {} (server.ts).

import type { Database } from './db.ts';
import {
  HttpError,
  activeVersion,
  businessToParty,
  newVersion,
  partyDict,
  postResponseDict,
  requireUuid,
  summaryDict,
  toJson,
  validateParty,
  verboseDict,
} from './party.ts';
import * as store from './store.ts';

export interface Answer {
  status: number;
  body: string;
  contentType?: string;
}

export interface RouteContext {
  db: Database;
  query: URLSearchParams;
  /** The body as request.get_json() sees it: undefined unless it is JSON; throws 400 when malformed. */
  json(): Promise<unknown>;
}

export interface Route {
  method: string;
  /** Stable label for /metrics; the three report routes use lib/routes.ts's name tags. */
  name: string;
  pattern: RegExp;
  /** GETs the cache knob may answer. */
  cacheable: boolean;
  handle(params: string[], ctx: RouteContext): Promise<Answer>;
}

export const API_PREFIX = '/party-api/v1';

const ok = (v: unknown): Answer => ({ status: 200, body: toJson(v) });

/** `request.get_json() or {}`. */
async function payload(ctx: RouteContext): Promise<Record<string, unknown>> {
  const v = await ctx.json();
  if (v === undefined || v === null || v === false || v === 0 || v === '') return {};
  if (Array.isArray(v) && v.length === 0) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error('payload is not an object');
  return v as Record<string, unknown>;
}

async function writeParty(ctx: RouteContext, route: string, party: Record<string, unknown>, opts: { typeMustBeB: boolean; conflictOnSample: boolean }): Promise<Answer> {
  const errors = validateParty(party);
  if (errors.length) throw new HttpError(400, errors);
  if (opts.typeMustBeB && party.sampleUnitType !== 'B') throw new HttpError(400, 'sampleUnitType must be of type B');
  const version = newVersion(party);
  const r = await ctx.db.session(route, (sql) => store.upsertBusiness(sql, version, opts.conflictOnSample), { transaction: true });
  if (r.conflict) throw new HttpError(409, 'party already exists for sample');
  return ok(postResponseDict(r.id, r.version));
}

function route(method: string, name: string, path: string, cacheable: boolean, handle: Route['handle']): Route {
  const pattern = new RegExp('^' + API_PREFIX + path.replace(/\{[^}]+\}/g, '([^/]+)') + '/?$');
  return { method, name, pattern, cacheable, handle };
}

export const ROUTES: Route[] = [
  route('GET', 'GET /businesses?id=', '/businesses', true, async (_p, ctx) => {
    const raw = ctx.query.getAll('id');
    if (raw.length === 0) throw new HttpError(400, 'The parameter id is required.');
    const ids = raw.map((id) => requireUuid(id));
    const found = await ctx.db.session('GET /businesses?id=', (sql) => store.businessesByIds(sql, ids));
    return ok(found.map((b) => summaryDict(b, activeVersion(b))));
  }),
  route('POST', 'POST /businesses', '/businesses', false, async (_p, ctx) =>
    writeParty(ctx, 'POST /businesses', businessToParty(await payload(ctx)), { typeMustBeB: false, conflictOnSample: false }),
  ),
  route('GET', 'GET /businesses/id/{id}', '/businesses/id/{id}', true, async ([raw = ''], ctx) => {
    const id = requireUuid(raw);
    const b = await ctx.db.session('GET /businesses/id/{id}', (sql) => store.businessById(sql, id));
    if (!b) throw new HttpError(404, 'Business with party id does not exist');
    const v = activeVersion(b, ctx.query.get('collection_exercise_id') ?? undefined);
    return ok(ctx.query.get('verbose')?.toLowerCase() === 'true' ? verboseDict(b, v) : summaryDict(b, v));
  }),
  route('GET', 'GET /businesses/id/{id}/attributes', '/businesses/id/{id}/attributes', true, async ([raw = ''], ctx) => {
    const id = requireUuid(raw);
    const rows = await ctx.db.session('GET /businesses/id/{id}/attributes', (sql) => store.attributeRows(sql, id));
    const out: Record<string, unknown> = {};
    for (const r of rows) if (r.collection_exercise) out[r.collection_exercise] = r;
    return ok(out);
  }),
  route('GET', 'GET /businesses/ref/{ref}', '/businesses/ref/{ref}', true, async ([ref = ''], ctx) => {
    const b = await ctx.db.session('GET /businesses/ref/{ref}', (sql) => store.businessByRef(sql, ref));
    if (!b) throw new HttpError(404, 'Business with reference does not exist.');
    return ok(partyDict(b, activeVersion(b)));
  }),
  route('PUT', 'PUT /businesses/sample/link/{sampleSummaryId}', '/businesses/sample/link/{sample}', false, async ([sample = ''], ctx) => {
    const body = await payload(ctx);
    if (!('collectionExerciseId' in body)) throw new HttpError(400, ["Required key 'collectionExerciseId' is missing."]);
    const ce = body.collectionExerciseId;
    await ctx.db.session('PUT /businesses/sample/link/{sampleSummaryId}', (sql) => store.linkSample(sql, sample, String(ce)), { transaction: true });
    return ok({ ...body, sampleSummaryId: sample });
  }),
  route('DELETE', 'DELETE /businesses/attributes/sample-summary/{sampleSummaryId}', '/businesses/attributes/sample-summary/{sample}', false, async ([raw = ''], ctx) => {
    const sample = requireUuid(raw, '');
    await ctx.db.session('DELETE /businesses/attributes/sample-summary/{sampleSummaryId}', (sql) => store.deleteSampleAttributes(sql, sample), { transaction: true });
    return { status: 204, body: '', contentType: 'text/html; charset=utf-8' };
  }),
  route('POST', 'POST /parties', '/parties', false, async (_p, ctx) =>
    writeParty(ctx, 'POST /parties', await payload(ctx), { typeMustBeB: true, conflictOnSample: true }),
  ),
  route('PATCH', 'PATCH /parties', '/parties', false, async (_p, ctx) =>
    writeParty(ctx, 'PATCH /parties', await payload(ctx), { typeMustBeB: true, conflictOnSample: false }),
  ),
  route('GET', 'GET /parties/type/{type}/id/{id}', '/parties/type/{type}/id/{id}', true, async ([type = '', raw = ''], ctx) => {
    if (type !== 'B') {
      if (type === 'BI') throw new HttpError(404, 'Respondent with party id does not exist');
      throw new HttpError(400, `${type} is not a valid value for sampleUnitType. Must be one of ['B', 'BI']`);
    }
    const id = requireUuid(raw);
    const b = await ctx.db.session('GET /parties/type/{type}/id/{id}', (sql) => store.businessById(sql, id));
    if (!b) throw new HttpError(404, 'Business with party id does not exist');
    return ok(partyDict(b, activeVersion(b)));
  }),
];

/**
 * Werkzeug's Allow header for a path: the methods of every route matching
 * it, HEAD with GET, and OPTIONS (Flask answers it on every routed path),
 * sorted; null when no route matches (Flask: 404).
 */
export function allowedMethods(pathname: string): string[] | null {
  const methods = new Set<string>();
  for (const r of ROUTES) {
    if (!r.pattern.test(pathname)) continue;
    methods.add(r.method);
    if (r.method === 'GET') methods.add('HEAD');
  }
  if (methods.size === 0) return null;
  methods.add('OPTIONS');
  return [...methods].sort();
}

export type Match = { route: Route; params: string[] } | { status: 404 | 405 };

export function matchRoute(method: string, pathname: string): Match {
  let pathMatched = false;
  for (const r of ROUTES) {
    const m = r.pattern.exec(pathname);
    if (!m) continue;
    if (r.method !== method && !(method === 'HEAD' && r.method === 'GET')) {
      pathMatched = true;
      continue;
    }
    let params: string[];
    try {
      params = m.slice(1).map((s) => decodeURIComponent(s));
    } catch {
      return { status: 404 };
    }
    return { route: r, params };
  }
  return { status: pathMatched ? 405 : 404 };
}
