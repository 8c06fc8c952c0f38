// The report's "requests sent / function hit / query started / query
// completed" table: k6's count per route beside the reference target's
// /metrics counters for the same run (scraped before and after k6).
import { routeByKey } from '../lib/routes.ts';
import type { SummaryModel } from '../lib/summary/model.ts';

export interface RouteCounters {
  hits: number;
  started: number;
  completed: number;
}

const NAMES: Record<string, keyof RouteCounters> = {
  party_target_route_hits_total: 'hits',
  party_target_queries_started_total: 'started',
  party_target_queries_completed_total: 'completed',
};

/** Prometheus text -> counters per `route` label. */
export function routeCounters(text: string): Map<string, RouteCounters> {
  const out = new Map<string, RouteCounters>();
  for (const line of text.split('\n')) {
    const m = /^(\w+)\{(?:.*,)?route="((?:[^"\\]|\\.)*)"(?:,.*)?\}\s+(\S+)$/.exec(line);
    const field = m && NAMES[m[1]!];
    if (!m || !field) continue;
    const route = m[2]!.replace(/\\(.)/g, '$1');
    const c = out.get(route) ?? { hits: 0, started: 0, completed: 0 };
    c[field] += Number(m[3]);
    out.set(route, c);
  }
  return out;
}

/** What happened between two scrapes. */
export function delta(after: Map<string, RouteCounters>, before: Map<string, RouteCounters>): Map<string, RouteCounters> {
  const out = new Map<string, RouteCounters>();
  for (const [route, a] of after) {
    const b = before.get(route) ?? { hits: 0, started: 0, completed: 0 };
    out.set(route, { hits: a.hits - b.hits, started: a.started - b.started, completed: a.completed - b.completed });
  }
  return out;
}

/** Markdown rows per route of the run; null when the target reported nothing for them. */
export function countersMarkdown(summary: Pick<SummaryModel, 'scenarios'>, counts: Map<string, RouteCounters>): string | null {
  const rows: string[] = [];
  const routes = [...new Set(summary.scenarios.map((s) => s.route))];
  for (const key of routes) {
    const route = routeByKey(key);
    const c = route && counts.get(route.nameTag);
    if (!route || !c) continue;
    const sent = summary.scenarios.filter((s) => s.route === key).reduce((n, s) => n + s.sent, 0);
    rows.push(`| ${route.label} | ${sent} | ${c.hits} | ${c.started} | ${c.completed} |`);
  }
  if (rows.length === 0) return null;
  return [
    '## Target counters',
    '',
    "The reference target's `/metrics` for this run, as the report's \"requests sent / function hit / query started / query completed\" table. " +
      "Function hit can exceed requests sent: the preflight adds one, and k6's client retries a GET once when a kept-alive connection closes before any answer.",
    '',
    '| Route | Requests sent (k6) | Function hit | Query started | Query completed |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n');
}
