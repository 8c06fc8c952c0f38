// The read routes' glue: a scenario file calls suite(profile) and re-exports
// what it returns. Per VU this compiles only the request path below and the
// shared answer path (core.ts); everything that runs once is cold text.
import http from 'k6/http';
import { core, onlyInVuZero, type Core } from './core.ts';
import { API_PREFIX, READ_ROUTES, type Route } from '../routes.ts';
import { vuRandom } from '../rng.ts';
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
 * nothing. An iteration then picks a value, sends, records. __VU 0 sends no
 * load, so it gets the shared stub (k6 only checks the exports are functions).
 */
export function reads(c: Core): Reads {
  if (__VU === 0) return { query: onlyInVuZero, id: onlyInVuZero, ref: onlyInVuZero };
  const random = vuRandom(c.runtime.seed, __VU);
  const sends: Array<(() => void) | undefined> = [];
  const send = (i: number): void => {
    let s = sends[i];
    if (s === undefined) {
      const route: Route = READ_ROUTES[i]!;
      const chunks = c.column(route.param || 'id');
      // A plan without this route's reads has no data; k6 never calls its exec then.
      const pick = chunks.length ? picker(chunks, random) : () => '';
      // Values are URL-encoded already (lib/cold/init.ts), and the config has
      // trimmed baseUrl's '/': no regex, no String method per VU.
      const prefix = c.runtime.baseUrl + API_PREFIX + route.prefix;
      const suffix = route.suffix;
      const params = c.params(route);
      const record = c.recorder(route);
      s = sends[i] = () => {
        record(http.get(prefix + pick() + suffix, params));
      };
    }
    s();
  };
  return { query: () => send(0), id: () => send(1), ref: () => send(2) };
}

export function suite(profile: string): Suite {
  const c = core(profile, false);
  const r = reads(c);
  // No object spread: es2017 output would carry esbuild's spread helpers into every VU.
  return { options: c.options, setup: c.preflight, query: r.query, id: r.id, ref: r.ref, handleSummary: c.handleSummary };
}
