// The read routes' glue: a scenario file calls suite(profile) and re-exports
// what it returns. Per VU this compiles only the request path below and the
// shared answer path (core.ts); everything that runs once is cold text.
import http from 'k6/http';
import { core, type Core } from './core.ts';
import { READ_ROUTES, urlPrefix, type Route } from '../routes.ts';
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

/** One exec function per read route, built once per VU: an iteration picks a value, sends, records. */
export function reads(c: Core): Reads {
  const random = mulberry32(vuSeed(c.runtime.seed, __VU));
  const exec = (route: Route) => {
    const { chunks, width } = c.column(route.param ?? 'id');
    // A plan without this route's reads has no data; k6 never calls its exec then.
    const pick = chunks.length ? picker((i) => chunks[i]!, chunks.length, width, random) : () => '';
    const prefix = urlPrefix(c.runtime.baseUrl, route);
    const suffix = route.suffix;
    const params = c.params(route);
    const record = c.recorder(route);
    return () => {
      record(http.get(prefix + encodeURIComponent(pick()) + suffix, params));
    };
  };
  const [query, id, ref] = READ_ROUTES.map(exec) as [() => void, () => void, () => void];
  return { query, id, ref };
}

export function suite(profile: string): Suite {
  const c = core(profile, false);
  const r = reads(c);
  // No object spread: es2017 output would carry esbuild's spread helpers into every VU.
  return { options: c.options, setup: c.preflight, query: r.query, id: r.id, ref: r.ref, handleSummary: c.handleSummary };
}
