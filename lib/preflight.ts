// Before any load: one authenticated GET of the first business, and a plain
// reading of what its answer means; for the write bundles, one OPTIONS per
// write path asking the target which methods it serves there. Pure: the glue
// makes the requests.
import { API_PREFIX, DELETE_SAMPLE_PREFIX, routeByKey } from './routes.ts';
import { maskCredentials } from './summary/redact.ts';

export interface ProbeAnswer {
  status: number;
  error: string;
  body: string;
}

/** null when the target is ready; else the problem and its fix. */
export function preflightProblem(a: ProbeAnswer, target: string, dataFile: string): string | null {
  const head = `party-perf: preflight against ${maskCredentials(target)} failed, no load was sent:`;
  if (a.status === 200) return null;
  if (a.status === 0) {
    return `${head} the target does not answer (${a.error || 'no response'}). Start it (npm run target), or set BASE_URL to a running party service. PREFLIGHT=false skips this check.`;
  }
  if (a.status === 401) return `${head} the credentials were rejected (401). Set PARTY_USER and PARTY_PASSWORD to the service's SECURITY_USER_NAME / SECURITY_USER_PASSWORD.`;
  if (a.status === 404) {
    return `${head} the first business of ${dataFile} is not on this target (404). Seed the target (npm run seed) or set DATA_FILE to the CSV written when it was seeded.`;
  }
  if (a.status === 400 && /active attributes/.test(a.body)) {
    return `${head} the businesses are not linked to a collection exercise yet (400 "does not have any active attributes"). Link them: PUT /party-api/v1/businesses/sample/link/<sampleSummaryId> (npm run seed does this).`;
  }
  return `${head} expected 200 for the first business, got ${a.status}: ${a.body.slice(0, 200)}`;
}

// ---- write preflight --------------------------------------------------------
// Older party services (1.13.0, the report's era) lack PATCH /parties and the
// teardown's DELETE. Flask answers OPTIONS on any path it routes with 200 and
// an Allow header listing the path's methods, changing nothing, and 404 on a
// path it does not route: enough to refuse a plan the target cannot serve
// before it sends a request, instead of a run of 405s.

/** One OPTIONS request: a path (under BASE_URL) and what the run will send there. */
export interface WriteProbe {
  path: string;
  /** `route` null: the teardown's DELETE (a warning when missing, never a stop). */
  uses: Array<{ method: string; route: string | null; label: string }>;
}

export interface OptionsAnswer {
  status: number;
  error: string;
  /** The Allow header, null when absent. */
  allow: string | null;
}

export interface WritePreflight {
  /** The message that stops the run, null when the plan can run. */
  problem: string | null;
  /** Lines to print; the run goes on. */
  warnings: string[];
}

/** A header's value from k6's `res.headers` (canonical names) or any casing. */
export function headerValue(headers: Record<string, string> | null | undefined, name: string): string | null {
  if (!headers) return null;
  const want = name.toLowerCase();
  for (const k of Object.keys(headers)) if (k.toLowerCase() === want) return String(headers[k]);
  return null;
}

/**
 * The OPTIONS requests for a plan's routes, in plan order: one per distinct
 * write path (POST and PATCH /parties share one), then the teardown's path.
 * `sampleSummaryId`: the run's own, for the paths that take one.
 */
export function writeProbes(routes: readonly string[], sampleSummaryId: string): WriteProbe[] {
  const byPath = new Map<string, WriteProbe>();
  for (const key of routes) {
    const r = routeByKey(key);
    if (!r || r.kind !== 'write') continue;
    const path = API_PREFIX + r.prefix + (r.prefix.endsWith('/') ? sampleSummaryId : '') + r.suffix;
    let p = byPath.get(path);
    if (!p) byPath.set(path, (p = { path, uses: [] }));
    p.uses.push({ method: r.method, route: r.key, label: r.label });
  }
  if (byPath.size === 0) return [];
  const teardown = API_PREFIX + DELETE_SAMPLE_PREFIX + sampleSummaryId;
  return [...byPath.values(), { path: teardown, uses: [{ method: 'DELETE', route: null, label: `DELETE ${DELETE_SAMPLE_PREFIX}${sampleSummaryId}` }] }];
}

const shown = (path: string): string => path.slice(API_PREFIX.length);

/**
 * What the OPTIONS answers mean for the plan (`routes`: every route of the
 * plan, in order, to name the ROUTES that still run). A missing write method
 * stops the run naming the fix; a missing teardown route or a target that
 * does not answer OPTIONS only warns.
 */
export function writePreflight(probes: readonly WriteProbe[], answers: readonly OptionsAnswer[], routes: readonly string[], target: string): WritePreflight {
  const refused: string[] = [];
  const reasons: string[] = [];
  const warnings: string[] = [];
  probes.forEach((p, i) => {
    const a = answers[i] ?? { status: 0, error: 'not sent', allow: null };
    const allowed = a.status >= 200 && a.status < 300 && a.allow !== null
      ? a.allow.split(',').map((m) => m.trim().toUpperCase()).filter((m) => m !== '')
      : null;
    if (allowed === null && a.status !== 404) {
      const why = a.status === 0 ? `no answer (${a.error || 'no response'})` : `${a.status}${a.allow === null ? ' without an Allow header' : ''}`;
      const who = p.uses.map((u) => (u.route === null ? 'teardown' : u.route)).join(', ');
      warnings.push(`party-perf: could not ask the target which methods ${shown(p.path)} serves (OPTIONS answered ${why}); ${who} run${p.uses.length === 1 ? 's' : ''} unchecked`);
      return;
    }
    for (const u of p.uses) {
      const what = u.label;
      let missing: string | null = null;
      if (a.status === 404) missing = `this target has no route ${what} (OPTIONS answered 404)`;
      else if (allowed && !allowed.includes(u.method)) missing = `this target does not accept ${what} (Allow: ${allowed.join(', ')})`;
      if (missing === null) continue;
      if (u.route === null) {
        warnings.push(`party-perf: ${missing}: teardown will not be able to remove what this run writes (older party services, e.g. 1.13.0, lack this route)`);
      } else if (!refused.includes(u.route)) {
        refused.push(u.route);
        reasons.push(`${missing}: drop ${u.route} from ROUTES`);
      }
    }
  });
  if (refused.length === 0) return { problem: null, warnings };
  const rest = routes.filter((r) => !refused.includes(r));
  const fix = rest.length
    ? `Run what this target serves: ROUTES=${rest.join(',')} (or point BASE_URL at a party service that has ${refused.length === 1 ? 'that route' : 'those routes'}). PREFLIGHT=false skips this check.`
    : 'This target serves none of the planned routes: point BASE_URL at a party service that has them. PREFLIGHT=false skips this check.';
  return {
    problem: `party-perf: write preflight against ${maskCredentials(target)} failed, no load was sent:\n${reasons.map((r) => `  - ${r}`).join('\n')}\n${fix}`,
    warnings,
  };
}

/** What the glue hands back for one OPTIONS request (a k6 response has these). */
export interface SentOptions {
  status: number;
  error: string;
  headers: Record<string, string>;
}

/**
 * The whole write preflight, run by setup() with `send` doing one OPTIONS
 * request to a URL: the probes of the plan's routes, their answers, the verdict.
 * Lives in the cold part so the VUs never compile it.
 */
export function checkWrites(routes: readonly string[], sampleSummaryId: string, baseUrl: string, send: (url: string) => SentOptions): WritePreflight {
  const probes = writeProbes(routes, sampleSummaryId);
  const answers = probes.map((p) => {
    const res = send(baseUrl + p.path);
    return { status: res.status, error: res.error, allow: headerValue(res.headers, 'Allow') };
  });
  return writePreflight(probes, answers, routes, baseUrl);
}
