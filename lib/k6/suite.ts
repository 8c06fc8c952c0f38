// The read routes' glue: a scenario file calls suite(profile) and re-exports
// what it returns. Per VU this compiles only the request path below and the
// shared answer path (core.ts); everything that runs once is cold text.
import http from 'k6/http';
import { core, type Core } from './core.ts';
import { API_PREFIX, READ_ROUTES, type Route } from '../routes.ts';
import { mulberry32, vuSeed } from '../rng.ts';
import { picker } from '../params.ts';

export interface Reads {
  query: () => void;
  id: () => void;
  ref: () => void;
}

export interface Suite extends Reads {
  options: object;
  setup: () => void;
  handleSummary: (data: object) => Record<string, string>;
}

/**
 * One exec function per read route. A VU builds a route's request path on its
 * first call only: most VUs run one route, and what they never call costs them
 * nothing. An iteration then picks a value, sends, records.
 */
export function reads(c: Core): Reads {
  const random = mulberry32(vuSeed(c.runtime.seed, __VU));
  const build = (route: Route): (() => void) => {
    const chunks = c.column(route.param ?? 'id');
    // A plan without this route's reads has no data; k6 never calls its exec then.
    const pick = chunks.length ? picker((i) => chunks[i]![0], chunks.length, random) : () => '';
    // No regex and no Array.prototype.map per VU: the first use of a builtin
    // sets it up in every VU's runtime (a regex ~30 KB, map ~20 KB per VU at
    // 1001 VUs under k6 v0.49). The config has already trimmed baseUrl's '/'.
    const prefix = c.runtime.baseUrl + API_PREFIX + route.prefix;
    const suffix = route.suffix;
    const params = c.params(route);
    const record = c.recorder(route);
    return () => {
      record(http.get(prefix + encodeURIComponent(pick()) + suffix, params));
    };
  };
  const lazy = (route: Route): (() => void) => {
    let send: (() => void) | undefined;
    return () => (send || (send = build(route)))();
  };
  return { query: lazy(READ_ROUTES[0]!), id: lazy(READ_ROUTES[1]!), ref: lazy(READ_ROUTES[2]!) };
}

export function suite(profile: string): Suite {
  const c = core(profile, false);
  const r = reads(c);
  // No object spread: es2017 output would carry esbuild's spread helpers into every VU.
  return { options: c.options, setup: c.preflight, query: r.query, id: r.id, ref: r.ref, handleSummary: c.handleSummary };
}
