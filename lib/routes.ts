// The party service's routes the suite drives. Pure: no k6 import.
// Each route says how to build its URL from one parameter row, the status
// that counts as success, and a stable `name` tag so k6 keeps one time
// series per route instead of one per URL.

export const API_PREFIX = '/party-api/v1';

/** Which column of data/businesses.csv a route reads. */
export type ParamField = 'id' | 'sampleUnitRef';

export interface Route {
  /** Short key used in scenario names, tags, exec function names and env (`ROUTES`). */
  key: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** Path as the report prints it (its "Per-route" row label). */
  label: string;
  /** URL path under the API prefix, before the parameter. */
  prefix: string;
  /** URL path after the parameter ('' for most routes). */
  suffix: string;
  param: ParamField;
  /** The status that classifies as `success`. */
  expectedStatus: number;
  /** Value of k6's `name` tag for every request of this route. */
  nameTag: string;
}

export const READ_ROUTES: readonly Route[] = [
  { key: 'query', method: 'GET', label: '/businesses?id=', prefix: '/businesses?id=', suffix: '', param: 'id', expectedStatus: 200, nameTag: 'GET /businesses?id=' },
  { key: 'id', method: 'GET', label: '/businesses/id/', prefix: '/businesses/id/', suffix: '', param: 'id', expectedStatus: 200, nameTag: 'GET /businesses/id/{id}' },
  { key: 'ref', method: 'GET', label: '/businesses/ref/', prefix: '/businesses/ref/', suffix: '', param: 'sampleUnitRef', expectedStatus: 200, nameTag: 'GET /businesses/ref/{ref}' },
];

const byKey = new Map<string, Route>(READ_ROUTES.map((r) => [r.key, r]));

export function routeByKey(key: string): Route | undefined {
  return byKey.get(key);
}

export function routeKeys(): string[] {
  return READ_ROUTES.map((r) => r.key);
}

/** `http://host:port` + prefix + route: everything of the URL but the parameter. */
export function urlPrefix(baseUrl: string, route: Route): string {
  return baseUrl.replace(/\/+$/, '') + API_PREFIX + route.prefix;
}

/** Full URL for one parameter value (encoded: a ref may hold any character). */
export function routeUrl(baseUrl: string, route: Route, value: string): string {
  return urlPrefix(baseUrl, route) + encodeURIComponent(value) + route.suffix;
}
