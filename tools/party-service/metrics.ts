// Counters the target exposes at /metrics in Prometheus text format. They
// rebuild the report's "requests sent / function hit / query started / query
// completed" table: k6 counts requests sent, the target counts the rest.

import type { PoolStats } from './pool.ts';

type Labels = Record<string, string>;

class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelName?: string,
  ) {}

  inc(label = '', by = 1): void {
    this.values.set(label, (this.values.get(label) ?? 0) + by);
  }

  get(label = ''): number {
    return this.values.get(label) ?? 0;
  }

  entries(): [string, number][] {
    return [...this.values.entries()].sort(([a], [b]) => a.localeCompare(b));
  }

  total(): number {
    let t = 0;
    for (const v of this.values.values()) t += v;
    return t;
  }

  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`);
    if (this.labelName === undefined) {
      out.push(`${this.name} ${this.get()}`);
      return;
    }
    for (const [label, v] of this.entries()) {
      out.push(`${this.name}${labelsText({ [this.labelName]: label })} ${v}`);
    }
  }
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelsText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function gauge(out: string[], name: string, help: string, value: number, labels: Labels = {}): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name}${labelsText(labels)} ${value}`);
}

export class Metrics {
  /** Answers sent, by route and status ("route status" joined by a space in the key). */
  readonly responses = new Counter('party_target_http_responses_total', 'HTTP answers sent, by route and status.');
  readonly hits = new Counter('party_target_route_hits_total', 'Requests that reached a route handler after auth (the report\'s "function hit").', 'route');
  readonly queriesStarted = new Counter('party_target_queries_started_total', 'Database sessions requested by a handler, counted before the pool checkout (the report\'s "query started").', 'route');
  readonly queriesCompleted = new Counter('party_target_queries_completed_total', 'Database sessions that finished (the report\'s "query completed").', 'route');
  readonly queriesFailed = new Counter('party_target_queries_failed_total', 'Database sessions that failed, pool timeouts included.', 'route');
  readonly cacheHits = new Counter('party_target_cache_hits_total', 'GET answers served from the cache without a query.', 'route');
  readonly cacheMisses = new Counter('party_target_cache_misses_total', 'Cacheable GETs not found in the cache.', 'route');
  readonly connectionsAccepted = new Counter('party_target_connections_accepted_total', 'TCP connections accepted and served.');
  readonly connectionsDropped = new Counter('party_target_connections_dropped_total', 'TCP connections closed unanswered because max-connections was reached.');
  readonly readRequests = new Counter('party_target_read_requests_total', 'Requests to the /party-api/v1 read routes (GET/HEAD, after auth) in arrival order: read number degrade_after + 1 is the first slow one.');
  openConnections = 0;

  constructor(
    private readonly info: Labels,
    private readonly pool: () => PoolStats & { size: number; maxOverflow: number; timeoutMs: number; overflowInUse: number },
    private readonly cacheSize: () => number,
    private readonly degradeAfter = 0,
  ) {}

  response(route: string, status: number): void {
    this.responses.inc(`${route}\u0000${status}`);
  }

  render(): string {
    const out: string[] = [];
    gauge(out, 'party_target_info', 'Reference target configuration.', 1, this.info);
    // The true onset, for a benchmark to compare with what it detected.
    gauge(out, 'party_target_degrade_after', 'Read requests served at full speed before the database degrades (0 = never).', this.degradeAfter);
    out.push(`# HELP ${this.responses.name} ${this.responses.help}`, `# TYPE ${this.responses.name} counter`);
    for (const [key, v] of this.responses.entries()) {
      const [route = '', status = ''] = key.split('\u0000');
      out.push(`${this.responses.name}${labelsText({ route, status })} ${v}`);
    }
    for (const c of [this.hits, this.queriesStarted, this.queriesCompleted, this.queriesFailed, this.cacheHits, this.cacheMisses, this.connectionsAccepted, this.connectionsDropped, this.readRequests]) {
      c.render(out);
    }
    const p = this.pool();
    const counter = (name: string, help: string, v: number) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${v}`);
    counter('party_target_pool_checkouts_total', 'Connections handed out by the pool.', p.checkouts);
    counter('party_target_pool_waits_total', 'Checkouts that had to queue because every connection was in use.', p.waits);
    counter('party_target_pool_timeouts_total', 'Checkouts that gave up after the pool timeout (answered 500).', p.timeouts);
    gauge(out, 'party_target_pool_in_use', 'Connections checked out now.', p.inUse);
    gauge(out, 'party_target_pool_overflow_in_use', 'Checked-out connections beyond pool_size.', p.overflowInUse);
    gauge(out, 'party_target_pool_waiting', 'Checkouts queued now.', p.waiting);
    gauge(out, 'party_target_pool_peak_in_use', 'Most connections checked out at once.', p.peakInUse);
    gauge(out, 'party_target_pool_size', 'pool_size.', p.size);
    gauge(out, 'party_target_pool_max_overflow', 'max_overflow.', p.maxOverflow);
    gauge(out, 'party_target_pool_timeout_seconds', 'pool_timeout.', p.timeoutMs / 1000);
    gauge(out, 'party_target_cache_entries', 'Entries in the GET cache.', this.cacheSize());
    gauge(out, 'party_target_connections_open', 'Client TCP connections open now.', this.openConnections);
    return out.join('\n') + '\n';
  }
}
