// The party service's routes the suite drives. Pure: no k6 import.
// Each route says how to build its URL, the status that counts as success,
// the schema a 200 body must match, and a stable `name` tag so k6 keeps one
// time series per route instead of one per URL.

export const API_PREFIX = '/party-api/v1';

/** Which column of data/businesses.csv a read route takes its parameter from. */
export type ParamField = 'id' | 'sampleUnitRef';

/**
 * The schema a 200 answer's body must match (lib/validate.ts):
 * `summary` a business summary, `list` a list of them, `party` a summary plus
 * `attributes`, `written` what a write answers (a party without
 * `associations`), `link` the sample link's echo.
 */
export type BodyKind = 'summary' | 'list' | 'party' | 'written' | 'link';

export interface Route {
  /** Short key (`[a-z_]+`) used in scenario names, tags, exec function names and env (`ROUTES`). */
  key: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** Path as the summary prints it (its "Per-route" row label). */
  label: string;
  /** `read` routes take a seeded business; `write` routes create their own (lib/writes.ts). */
  kind: 'read' | 'write';
  /** URL path under the API prefix, before the parameter (the whole path for most writes). */
  prefix: string;
  /** URL path after the parameter ('' for most routes). */
  suffix: string;
  /** Read routes: the CSV column of the parameter. Writes: null. */
  param: ParamField | null;
  /** The status that classifies as `success`. */
  expectedStatus: number;
  body: BodyKind;
  /** Value of k6's `name` tag for every request of this route. */
  nameTag: string;
}

export const READ_ROUTES: readonly Route[] = [
  { key: 'query', method: 'GET', label: '/businesses?id=', kind: 'read', prefix: '/businesses?id=', suffix: '', param: 'id', expectedStatus: 200, body: 'list', nameTag: 'GET /businesses?id=' },
  { key: 'id', method: 'GET', label: '/businesses/id/', kind: 'read', prefix: '/businesses/id/', suffix: '', param: 'id', expectedStatus: 200, body: 'summary', nameTag: 'GET /businesses/id/{id}' },
  { key: 'ref', method: 'GET', label: '/businesses/ref/', kind: 'read', prefix: '/businesses/ref/', suffix: '', param: 'sampleUnitRef', expectedStatus: 200, body: 'party', nameTag: 'GET /businesses/ref/{ref}' },
];

// The service answers 200 (never 201) to every write; see test/fixtures/party-api/README.md.
export const WRITE_ROUTES: readonly Route[] = [
  { key: 'post_businesses', method: 'POST', label: 'POST /businesses', kind: 'write', prefix: '/businesses', suffix: '', param: null, expectedStatus: 200, body: 'written', nameTag: 'POST /businesses' },
  { key: 'post_parties', method: 'POST', label: 'POST /parties', kind: 'write', prefix: '/parties', suffix: '', param: null, expectedStatus: 200, body: 'written', nameTag: 'POST /parties' },
  { key: 'patch_parties', method: 'PATCH', label: 'PATCH /parties', kind: 'write', prefix: '/parties', suffix: '', param: null, expectedStatus: 200, body: 'written', nameTag: 'PATCH /parties' },
  { key: 'put_link', method: 'PUT', label: 'PUT /businesses/sample/link/', kind: 'write', prefix: '/businesses/sample/link/', suffix: '', param: null, expectedStatus: 200, body: 'link', nameTag: 'PUT /businesses/sample/link/{sampleSummaryId}' },
];

// PURE: a bundle that uses neither list nor the lookups drops them (weight per VU).
export const ROUTES: readonly Route[] = /* @__PURE__ */ READ_ROUTES.concat(WRITE_ROUTES);

/** Cleanup, not load: teardown removes the attributes a run wrote (see lib/k6/zero.ts). */
export const DELETE_SAMPLE_PREFIX = '/businesses/attributes/sample-summary/';

// Built on first use: a module-level Map would keep every route in every bundle.
let byKey: Map<string, Route> | undefined;

export function routeByKey(key: string): Route | undefined {
  return (byKey ??= new Map(ROUTES.map((r) => [r.key, r]))).get(key);
}

export function routeKeys(): string[] {
  return ROUTES.map((r) => r.key);
}

export function isWrite(key: string): boolean {
  return routeByKey(key)?.kind === 'write';
}

/** `http://host:port` + prefix + route: everything of the URL but the parameter. */
export function urlPrefix(baseUrl: string, route: Route): string {
  return baseUrl.replace(/\/+$/, '') + API_PREFIX + route.prefix;
}

/** Full URL for one parameter value (encoded: a ref may hold any character). */
export function routeUrl(baseUrl: string, route: Route, value: string): string {
  return urlPrefix(baseUrl, route) + encodeURIComponent(value) + route.suffix;
}
