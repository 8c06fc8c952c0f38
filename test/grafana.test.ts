// The Grafana dashboard and the laptop stack of grafana/ (docs/grafana.md),
// without Grafana, Prometheus, docker or the network: the dashboard is a
// model Grafana loads (ids, types, grid, datasource, targets), every query
// names only variables the dashboard defines, reads one run (testid) and
// groups only by labels of bounded cardinality, the classes panel keeps the
// refIds test/prometheus.test.ts checks against a real run; the compose file
// and provisioning parse, pin their images and mount files that exist.
// Each check is also run against a broken copy, so a check that stopped
// checking fails too. The numbers themselves: test/prometheus.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { ROUTES } from '../lib/routes.ts';
import { repo } from './helpers/k6.ts';

const GRAFANA = join(repo, 'grafana');
const DASHBOARD = join(GRAFANA, 'party-perf.dashboard.json');
const COMPOSE = join(GRAFANA, 'compose.yml');
const DATASOURCES = join(GRAFANA, 'provisioning/datasources/prometheus.yml');
const PROVIDERS = join(GRAFANA, 'provisioning/dashboards/party-perf.yml');

// ---------------------------------------------------------------- the model

interface Target { refId?: string; expr?: string; datasource?: { type?: string; uid?: string }; instant?: boolean; legendFormat?: string }
interface Panel {
  id?: number; type?: string; title?: string; description?: string;
  gridPos?: { h?: number; w?: number; x?: number; y?: number };
  datasource?: { type?: string; uid?: string }; targets?: Target[];
  fieldConfig?: { overrides?: Array<{ matcher?: { options?: string }; properties?: Array<{ id: string; value: unknown }> }> };
}
interface Variable { name: string; type: string; query?: unknown; definition?: string; includeAll?: boolean; multi?: boolean; allValue?: string }
interface Dashboard { uid?: string; title?: string; schemaVersion?: number; time?: { from: string; to: string }; refresh?: string; templating?: { list: Variable[] }; panels?: Panel[] }

const readDashboard = (): Dashboard => JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
const copy = <T>(v: T): T => structuredClone(v);
const queryPanels = (d: Dashboard) => (d.panels ?? []).filter((p) => p.type !== 'row');
const targetsOf = (d: Dashboard) => queryPanels(d).flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title ?? `#${p.id}`, t })));
const panelTitled = (d: Dashboard, title: string) => (d.panels ?? []).find((p) => p.title === title);

/** Grafana's panel types (core, Grafana 11); a plugin panel would need installing. */
const PANEL_TYPES = new Set([
  'row', 'timeseries', 'table', 'stat', 'gauge', 'bargauge', 'barchart', 'piechart', 'text', 'heatmap', 'histogram', 'logs', 'state-timeline',
  'status-history', 'xychart', 'trend', 'candlestick', 'canvas', 'geomap', 'nodeGraph', 'traces', 'flamegraph', 'dashlist', 'alertlist', 'annolist', 'news', 'datagrid',
]);
/** Variables Grafana defines itself. */
const BUILTINS = new Set(['__range', '__range_s', '__range_ms', '__rate_interval', '__rate_interval_ms', '__interval', '__interval_ms', '__from', '__to', '__all', '__dashboard', '__org', '__user']);
/**
 * Labels a query may group or join by: each has few values whatever the
 * number of requests (a route, a scenario of the plan, a class of answer, an
 * HTTP status, a load generator of the k6 operator). Not `url` (it equals the
 * name tag only because the suite sets one), `error` (k6's message can carry
 * the URL), `vu`, `iter`, `ip`: those grow with the run.
 */
const BOUNDED_LABELS = new Set(['testid', 'route', 'scenario', 'count', 'offset', 'class', 'cause', 'status', 'method', 'name', 'expected_response', 'proto', 'group', 'check', 'instance_id', 'testrun_name']);
/** k6 tags these with the run's tags and the scenario alone (its executor emits them), never with a scenario's own tags (route, count, offset). */
const SCENARIO_ONLY = new Set(['k6_dropped_iterations_total']);
/** Run-wide: not per scenario, so neither testid's route filter applies. */
const RUN_WIDE = new Set(['k6_vus', 'k6_vus_max']);

// ---------------------------------------------------------------- PromQL, just enough

/** The expression with every string literal blanked (same length), so structure can be searched without quoted text. */
const unquoted = (expr: string): string => expr.replace(/"(?:[^"\\]|\\.)*"/g, (s) => `"${' '.repeat(s.length - 2)}"`);

interface Selector { metric: string; matchers: Array<{ label: string; op: string; value: string }> }
/** Every `metric{...}` of an expression (a metric with no braces has no matchers). */
function selectors(expr: string): Selector[] {
  const bare = unquoted(expr);
  const out: Selector[] = [];
  for (const m of bare.matchAll(/(?<![\w"])(k6_[A-Za-z0-9_]+)\s*(\{[^}]*\})?/g)) {
    const body = m[2] ? expr.slice(m.index! + m[0].length - m[2].length + 1, m.index! + m[0].length - 1) : '';
    const matchers = [...body.matchAll(/(\w+)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)].map((x) => ({ label: x[1]!, op: x[2]!, value: x[3]! }));
    out.push({ metric: m[1]!, matchers });
  }
  return out;
}

/** Labels an expression groups or joins by, and the labels label_replace writes. */
function groupingLabels(expr: string): string[] {
  const bare = unquoted(expr);
  const labels = [...bare.matchAll(/\b(by|on|group_left|group_right)\s*\(([^)]*)\)/g)].flatMap((m) => m[2]!.split(',').map((l) => l.trim()).filter(Boolean));
  const written = [...expr.matchAll(/label_replace\s*\([^"]*"(\w+)"/g)].map((m) => m[1]!);
  return [...labels, ...written];
}

/** Grafana variables an expression uses: $name, ${name}, ${name:format}, [[name]]; PromQL's $1 in label_replace is none. */
const variablesIn = (text: string): string[] =>
  [...text.matchAll(/\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)\]\]/g)].map((m) => (m[1] ?? m[2] ?? m[3])!).filter((n) => !/^\d+$/.test(n));

// ---------------------------------------------------------------- the checks

function structureProblems(d: Dashboard): string[] {
  const out: string[] = [];
  if (d.uid !== 'party-perf') out.push(`uid is ${JSON.stringify(d.uid)}, not "party-perf"`);
  if (d.title !== 'party-perf') out.push(`title is ${JSON.stringify(d.title)}, not "party-perf"`);
  if (d.schemaVersion !== 39) out.push(`schemaVersion is ${d.schemaVersion}, not 39`);
  if (!Array.isArray(d.panels) || d.panels.length === 0) return [...out, 'no panels'];
  if (!Array.isArray(d.templating?.list)) out.push('no templating.list');
  const ids = new Set<number>();
  for (const p of d.panels) {
    const name = `panel ${p.id} "${p.title ?? ''}"`;
    if (!Number.isInteger(p.id)) out.push(`${name}: id is not an integer`);
    else if (ids.has(p.id!)) out.push(`${name}: id ${p.id} is used twice`);
    else ids.add(p.id!);
    if (!p.type || !PANEL_TYPES.has(p.type)) out.push(`${name}: unknown panel type ${JSON.stringify(p.type)}`);
    const g = p.gridPos;
    if (!g || !(['h', 'w', 'x', 'y'] as const).every((k) => Number.isInteger(g[k]) && g[k]! >= 0)) out.push(`${name}: gridPos needs integer h, w, x, y`);
    else if (g.x! + g.w! > 24 || g.w === 0 || g.h === 0) out.push(`${name}: gridPos ${JSON.stringify(g)} does not fit Grafana's 24 columns`);
    if (!p.title) out.push(`${name}: no title`);
    if (p.type === 'row' || p.type === 'text') continue;
    if (p.datasource?.type !== 'prometheus' || p.datasource.uid !== '${datasource}') out.push(`${name}: datasource is not {type: prometheus, uid: \${datasource}}`);
    if (!Array.isArray(p.targets) || p.targets.length === 0) { out.push(`${name}: no targets`); continue; }
    const refIds = new Set<string>();
    for (const t of p.targets) {
      if (!t.refId) out.push(`${name}: a target has no refId`);
      else if (refIds.has(t.refId)) out.push(`${name}: refId ${t.refId} is used twice`);
      else refIds.add(t.refId);
      if (typeof t.expr !== 'string' || t.expr.trim() === '') out.push(`${name}: target ${t.refId} has no expr`);
      if (t.datasource?.type !== 'prometheus' || t.datasource.uid !== '${datasource}') out.push(`${name}: target ${t.refId}'s datasource is not {type: prometheus, uid: \${datasource}}`);
    }
  }
  const placed = d.panels.filter((p) => p.gridPos && ['h', 'w', 'x', 'y'].every((k) => Number.isInteger(p.gridPos![k as 'h'])));
  for (const [i, a] of placed.entries()) for (const b of placed.slice(i + 1)) {
    const [ga, gb] = [a.gridPos!, b.gridPos!] as Array<Required<NonNullable<Panel['gridPos']>>>;
    if (ga.x < gb.x + gb.w && gb.x < ga.x + ga.w && ga.y < gb.y + gb.h && gb.y < ga.y + ga.h) out.push(`panels ${a.id} and ${b.id} overlap`);
  }
  return out;
}

function variableProblems(d: Dashboard): string[] {
  const vars = d.templating?.list ?? [];
  const defined = new Set(vars.map((v) => v.name));
  const out: string[] = [];
  const check = (where: string, text: string) => {
    for (const name of variablesIn(text)) if (!defined.has(name) && !BUILTINS.has(name)) out.push(`${where}: $${name} is not a variable of the dashboard`);
  };
  for (const { panel, t } of targetsOf(d)) check(`${panel} ${t.refId}`, `${t.expr ?? ''} ${t.datasource?.uid ?? ''}`);
  for (const p of queryPanels(d)) check(`${p.title} datasource`, p.datasource?.uid ?? '');
  for (const v of vars) check(`variable ${v.name}`, JSON.stringify(v.query ?? '') + (v.definition ?? ''));
  const byName = new Map(vars.map((v) => [v.name, v]));
  const ds = byName.get('datasource');
  if (ds?.type !== 'datasource' || ds.query !== 'prometheus') out.push('variable datasource: not a datasource variable of type prometheus');
  const testid = byName.get('testid');
  if (testid?.type !== 'query' || !JSON.stringify(testid.query).includes('label_values(k6_http_reqs_total, testid)')) out.push('variable testid: not label_values(k6_http_reqs_total, testid)');
  const route = byName.get('route');
  if (route?.type !== 'query' || !route.multi || !route.includeAll || !JSON.stringify(route.query).includes('label_values(k6_http_reqs_total{testid=\\"$testid\\"}, route)')) {
    out.push('variable route: not a multi-value query of label_values(k6_http_reqs_total{testid="$testid"}, route) with All');
  }
  return out;
}

/** Every metric read is of one run; every per-scenario metric is narrowed to the routes picked; labels a metric does not have are not filtered on. */
function filterProblems(d: Dashboard): string[] {
  const out: string[] = [];
  const queries = [
    ...targetsOf(d).map(({ panel, t }) => ({ where: `${panel} ${t.refId}`, expr: t.expr ?? '' })),
    ...(d.templating?.list ?? []).filter((v) => v.type === 'query').map((v) => ({ where: `variable ${v.name}`, expr: String((v.query as { query?: string })?.query ?? v.query ?? '') })),
  ];
  for (const { where, expr } of queries) {
    const sels = selectors(expr);
    if (sels.length === 0) out.push(`${where}: reads no k6 metric`);
    for (const s of sels) {
      const has = (label: string, op: string, value: string) => s.matchers.some((m) => m.label === label && m.op === op && m.value.includes(value));
      if (where === 'variable testid') continue; // the run picker lists every run
      if (!has('testid', '=', '$testid')) out.push(`${where}: ${s.metric} is not filtered on testid="$testid"`);
      if (where === 'variable route') continue;
      if (s.metric === 'k6_http_req_duration_count') out.push(`${where}: k6_http_req_duration_count is scaled wrongly by k6's output; count with k6_http_reqs_total`);
      if (SCENARIO_ONLY.has(s.metric) || RUN_WIDE.has(s.metric)) {
        const wrong = [...new Set(s.matchers.map((m) => m.label).filter((l) => ['route', 'count', 'offset', 'name', 'url'].includes(l)))];
        if (wrong.length) out.push(`${where}: ${s.metric} has no ${wrong.join(', ')} label (k6 tags it with the scenario at most): the filter drops every series`);
        if (SCENARIO_ONLY.has(s.metric) && !has('scenario', '=~', '$route')) out.push(`${where}: ${s.metric} is not narrowed to the routes picked (scenario=~"($route)_c...")`);
      } else if (!has('route', '=~', '$route')) {
        out.push(`${where}: ${s.metric} is not filtered on route=~"$route"`);
      }
    }
  }
  return out;
}

function cardinalityProblems(d: Dashboard): string[] {
  const out: string[] = [];
  for (const { panel, t } of targetsOf(d)) {
    for (const label of groupingLabels(t.expr ?? '')) if (!BOUNDED_LABELS.has(label)) out.push(`${panel} ${t.refId}: groups by ${label}, which is not a label of bounded cardinality`);
    for (const m of (t.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)) if (!BOUNDED_LABELS.has(m[1]!)) out.push(`${panel} ${t.refId}: legend shows ${m[1]}, which is not a label of bounded cardinality`);
  }
  return out;
}

const CLASSES = 'Report: classes per route';
const CLASS_REFIDS = ['sent', 'success', 'no_response', 'not_found', 'server_error', 'other', 'not_sent'];
const SENT = 'sum by (route) (max_over_time(k6_http_reqs_total{';

/** The panels the report's tables map to, with the refIds test/prometheus.test.ts and the guide name. */
function reportPanelProblems(d: Dashboard): string[] {
  const out: string[] = [];
  const classes = panelTitled(d, CLASSES);
  if (!classes) return [`no panel titled "${CLASSES}"`];
  const refIds = (classes.targets ?? []).map((t) => t.refId);
  if (JSON.stringify([...refIds].sort()) !== JSON.stringify([...CLASS_REFIDS].sort())) out.push(`${CLASSES}: refIds are ${refIds.join(', ')}, not exactly ${CLASS_REFIDS.join(', ')}`);
  if (classes.type !== 'table') out.push(`${CLASSES}: a ${classes.type}, not a table`);
  for (const t of classes.targets ?? []) {
    const e = t.expr ?? '';
    if (t.instant !== true) out.push(`${CLASSES} ${t.refId}: not an instant query`);
    if (!e.startsWith('sum by (route) (') || !e.includes('[$__range]')) out.push(`${CLASSES} ${t.refId}: not a sum by (route) over [$__range]`);
    // A class that never occurred has no series: every count but sent falls back to 0 per route sent.
    if (t.refId !== 'sent' && !e.includes(`or on(route) (0 * ${SENT}`)) out.push(`${CLASSES} ${t.refId}: no 0 per route when the metric is absent (or on(route) (0 * SENT))`);
  }
  const want: Array<[string, string[]]> = [
    ['Report: success % per route and spacing', ['success_pct']],
    ['Answers per class over time', []],
    ['Latency of successful answers per scenario (ms)', ['p50', 'p95', 'p99']],
    ['No response: causes per route', []],
  ];
  for (const [title, ids] of want) {
    const p = panelTitled(d, title);
    if (!p) { out.push(`no panel titled "${title}"`); continue; }
    for (const id of ids) if (!(p.targets ?? []).some((t) => t.refId === id)) out.push(`${title}: no refId ${id}`);
  }
  const pct = panelTitled(d, 'Report: success % per route and spacing')?.targets?.[0]?.expr ?? '';
  if (!/sum by \(route, offset\)/.test(pct)) out.push('success %: not per route and offset');
  for (const t of panelTitled(d, 'Latency of successful answers per scenario (ms)')?.targets ?? []) {
    const e = t.expr ?? '';
    if (!e.includes(`k6_http_req_duration_${t.refId}{`) || !e.includes('last_over_time(') || !e.includes('expected_response="true"') || !e.endsWith('* 1000')) {
      out.push(`latency ${t.refId}: not the last value of k6_http_req_duration_${t.refId} of expected responses, in ms`);
    }
  }
  const latency = panelTitled(d, 'Latency of successful answers per scenario (ms)');
  if (!/route-level/i.test(latency?.description ?? '') || !/report/.test(latency?.description ?? '')) out.push('latency: the description does not say route-level percentiles are in the report');
  const causes = panelTitled(d, 'No response: causes per route')?.targets?.[0]?.expr ?? '';
  if (!causes.includes('sum by (route, cause)') || !causes.includes('class="no_response"')) out.push('causes: not sum by (route, cause) of class="no_response"');
  const generator = queryPanels(d).filter((p) => ['k6_party_late_total', 'k6_party_schedule_lag', 'k6_dropped_iterations_total', 'k6_vus_max'].some((m) => (p.targets ?? []).some((t) => t.expr?.includes(m))) && p.title !== CLASSES && !p.title?.startsWith('Report') && p.title !== 'Answers per class over time');
  if (generator.length === 0) out.push('no load generator panels');
  for (const p of generator) if (!(p.description ?? '').includes('docs/results.md#can-this-run-be-trusted')) out.push(`${p.title}: the description does not point at docs/results.md#can-this-run-be-trusted`);
  return out;
}

/** The Route column reads as the report's Per-route rows do: every route of lib/routes.ts, by its label. */
function routeNameProblems(d: Dashboard): string[] {
  const out: string[] = [];
  const classes = panelTitled(d, CLASSES);
  const mapping = classes?.fieldConfig?.overrides?.find((o) => o.matcher?.options === 'Route')?.properties?.find((p) => p.id === 'mappings')?.value as
    Array<{ options: Record<string, { text: string }> }> | undefined;
  const names = mapping?.[0]?.options ?? {};
  for (const r of ROUTES) if (names[r.key]?.text !== r.label) out.push(`${CLASSES}: route ${r.key} reads ${JSON.stringify(names[r.key]?.text)}, not ${JSON.stringify(r.label)}`);
  for (const k of Object.keys(names)) if (!ROUTES.some((r) => r.key === k)) out.push(`${CLASSES}: route ${k} is not a route of lib/routes.ts`);
  return out;
}

// ---------------------------------------------------------------- compose and provisioning

interface Service { image?: string; command?: string[]; ports?: string[]; volumes?: Array<string | { type?: string; source?: string; target?: string }>; environment?: Record<string, string> }
interface Compose { services?: Record<string, Service>; volumes?: Record<string, unknown> }
interface Stack { compose: Compose; datasources: { datasources?: Array<Record<string, unknown>> }; providers: { providers?: Array<{ type?: string; options?: { path?: string } }> } }
type Exists = (hostPath: string) => boolean;

const readStack = (): Stack => ({
  compose: parse(readFileSync(COMPOSE, 'utf8')) as Compose,
  datasources: parse(readFileSync(DATASOURCES, 'utf8')) as Stack['datasources'],
  providers: parse(readFileSync(PROVIDERS, 'utf8')) as Stack['providers'],
});
const diskExists: Exists = (p) => existsSync(p);

interface Mount { source: string; target: string; named: boolean }
function mountsOf(s: Service): Mount[] {
  return (s.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return { source: v.source ?? '', target: v.target ?? '', named: v.type === 'volume' };
    const [source = '', target = ''] = v.split(':');
    return { source, target, named: !/^[./~]/.test(source) };
  });
}
/** The file on this machine a container path is, through the service's bind mounts (null if none mounts it). */
function hostPathOf(s: Service, containerPath: string): string | null {
  for (const m of mountsOf(s)) {
    if (m.named) continue;
    const rel = posix.relative(m.target, containerPath);
    if (rel === '' || (!rel.startsWith('..') && !posix.isAbsolute(rel))) return resolve(GRAFANA, m.source, rel);
  }
  return null;
}

function stackProblems({ compose, datasources, providers }: Stack, exists: Exists): string[] {
  const out: string[] = [];
  const services = compose.services ?? {};
  for (const name of ['prometheus', 'grafana']) if (!services[name]) out.push(`compose: no service ${name}`);
  for (const [name, s] of Object.entries(services)) {
    const image = s.image ?? '';
    const tag = /^[\w./-]+:([\w.-]+)$/.exec(image)?.[1];
    if (!/@sha256:[0-9a-f]{64}$/.test(image) && (!tag || tag === 'latest' || !/^v?\d+\.\d+\.\d+$/.test(tag))) out.push(`compose ${name}: image ${JSON.stringify(image)} is not pinned to a version`);
    for (const m of mountsOf(s)) {
      if (m.named) {
        if (!(m.source in (compose.volumes ?? {}))) out.push(`compose ${name}: volume ${m.source} is not declared`);
      } else if (!exists(resolve(GRAFANA, m.source))) {
        out.push(`compose ${name}: mounts ${m.source}, which is not in grafana/`);
      } else if (relative(GRAFANA, resolve(GRAFANA, m.source)).split(sep)[0] === '..') {
        out.push(`compose ${name}: mounts ${m.source}, outside grafana/`);
      }
      if (!posix.isAbsolute(m.target)) out.push(`compose ${name}: mount target ${m.target} is not absolute`);
    }
  }
  const prom = services.prometheus;
  if (prom) {
    const cmd = prom.command ?? [];
    for (const flag of ['--web.enable-remote-write-receiver', '--enable-feature=native-histograms']) if (!cmd.includes(flag)) out.push(`compose prometheus: no ${flag}`);
    const config = cmd.find((c) => c.startsWith('--config.file='))?.slice('--config.file='.length);
    const host = config ? hostPathOf(prom, config) : null;
    if (!host || !exists(host)) out.push(`compose prometheus: --config.file=${config} is not a file mounted from grafana/`);
    if (!(prom.ports ?? []).some((p) => String(p).endsWith(':9090'))) out.push('compose prometheus: port 9090 is not published');
  }
  const grafana = services.grafana;
  if (grafana) {
    if (!(grafana.ports ?? []).some((p) => String(p).endsWith(':3000'))) out.push('compose grafana: port 3000 is not published');
    const provisioning = hostPathOf(grafana, '/etc/grafana/provisioning');
    for (const [what, file] of [['datasources', DATASOURCES], ['dashboards', PROVIDERS]] as const) {
      if (!provisioning || resolve(provisioning, what, file.split('/').pop()!) !== file || !exists(file)) out.push(`compose grafana: provisioning/${what} is not mounted into /etc/grafana/provisioning/${what}`);
    }
    for (const [k, v] of Object.entries(grafana.environment ?? {})) {
      if (!k.endsWith('_PATH') || !v.startsWith('/')) continue;
      const host = hostPathOf(grafana, v);
      if (!host || !exists(host)) out.push(`compose grafana: ${k}=${v} is not a file mounted from grafana/`);
    }
    for (const p of providers.providers ?? []) {
      const path = p.options?.path ?? '';
      const host = p.type === 'file' ? hostPathOf(grafana, join(path, 'party-perf.dashboard.json')) : null;
      if (!host || host !== DASHBOARD || !exists(host)) out.push(`provisioning dashboards: ${path} does not hold the mounted party-perf.dashboard.json`);
    }
    if ((providers.providers ?? []).length === 0) out.push('provisioning dashboards: no provider');
  }
  const ds = (datasources.datasources ?? []).find((d) => d.uid === 'prometheus');
  if (!ds) out.push('provisioning datasources: no datasource with uid prometheus');
  else {
    if (ds.type !== 'prometheus' || ds.isDefault !== true) out.push('provisioning datasources: prometheus is not the default Prometheus datasource');
    const host = /^http:\/\/([\w-]+):9090\/?$/.exec(String(ds.url))?.[1];
    if (!host || !services[host]) out.push(`provisioning datasources: url ${String(ds.url)} is not the compose service prometheus on 9090`);
  }
  return out;
}

// ---------------------------------------------------------------- the files as they are

const none = (problems: string[], what: string) => assert.deepEqual(problems, [], `${what}:\n  ${problems.join('\n  ')}`);

describe('the dashboard as it is', () => {
  const d = readDashboard();

  test('parses, and has what Grafana needs: uid, title, schemaVersion, panels with unique ids, known types, a grid place, datasource and targets', () => {
    none(structureProblems(d), 'structure');
    assert.deepEqual(d.time, { from: 'now-30m', to: 'now' });
    assert.equal(d.refresh, '5s');
  });

  test('every $variable a query uses is the dashboard\'s, or Grafana\'s own', () => {
    none(variableProblems(d), 'variables');
  });

  test('every query reads one run (testid) and the routes picked, with only labels the metric has', () => {
    none(filterProblems(d), 'filters');
  });

  test('no query groups by a label that grows with the run (ids, URLs, VUs)', () => {
    none(cardinalityProblems(d), 'cardinality');
  });

  test('the report\'s tables: the classes panel has exactly its refIds, each count falls back to 0; success %, latency, causes, the load generator', () => {
    none(reportPanelProblems(d), 'report panels');
  });

  test('the Route column names every route as the report does (lib/routes.ts)', () => {
    none(routeNameProblems(d), 'route names');
  });
});

describe('the compose file and provisioning as they are', () => {
  test('parse, pin their images, and mount and name only files that exist in grafana/', () => {
    none(stackProblems(readStack(), diskExists), 'stack');
  });
});

// ---------------------------------------------------------------- broken on purpose

const only = (problems: string[], pattern: RegExp) => {
  assert.ok(problems.length > 0, 'the broken copy passed');
  assert.ok(problems.every((p) => pattern.test(p)), problems.join('\n'));
};

describe('dashboard checks, broken on purpose', () => {
  const good = readDashboard();
  const withPanel = (title: string, f: (p: Panel, d: Dashboard) => void) => {
    const d = copy(good);
    f(panelTitled(d, title)!, d);
    return d;
  };

  test('structure: a duplicate id, an unknown type, a gridPos without w, a target without refId or expr, another datasource', () => {
    const d = copy(good);
    const a = queryPanels(d).find((p) => p.title !== CLASSES)!;
    const b = panelTitled(d, CLASSES)!;
    b.id = a.id;
    a.type = 'graph-old';
    delete a.gridPos!.w;
    delete b.targets![0]!.refId;
    b.targets![1]!.expr = ' ';
    b.datasource = { type: 'prometheus', uid: 'prometheus' };
    const found = structureProblems(d);
    for (const m of [/id \d+ is used twice/, /unknown panel type "graph-old"/, /gridPos needs integer h, w, x, y/, /a target has no refId/, /has no expr/, /panel .*: datasource is not/]) {
      assert.ok(found.some((p) => m.test(p)), `${m} not in:\n${found.join('\n')}`);
    }
    assert.deepEqual(structureProblems({ ...copy(good), uid: 'x', schemaVersion: 27, panels: [] }), ['uid is "x", not "party-perf"', 'schemaVersion is 27, not 39', 'no panels']);
  });

  test('structure: panels that overlap', () => {
    const d = copy(good);
    const [a, b] = queryPanels(d);
    b!.gridPos = { ...a!.gridPos! };
    only(structureProblems(d), /overlap/);
  });

  test('variables: a removed variable, a misspelt one, a built-in and a label_replace $1 are told apart', () => {
    const d = copy(good);
    d.templating!.list = d.templating!.list.filter((v) => v.name !== 'route');
    const found = variableProblems(d);
    assert.ok(found.some((p) => p.includes('$route is not a variable')), found.join('\n'));
    assert.ok(!found.some((p) => /\$(__range|__rate_interval|1|2) /.test(p)), found.join('\n'));
    const typo = withPanel(CLASSES, (p) => { p.targets![0]!.expr = p.targets![0]!.expr!.replace('$testid', '${testId}'); });
    only(variableProblems(typo), /\$testId is not a variable/);
    assert.deepEqual(variablesIn('x{a="$a", b=~"${b:regex}", c="[[c]]"} $__range label_replace(y, "r", "$1.$2", "s", "(.+)")'), ['a', 'b', 'c', '__range']);
  });

  test('filters: a query that reads every run, one that ignores the route picked, a route filter on dropped_iterations (k6 gives it none)', () => {
    const noTestid = withPanel(CLASSES, (p) => { p.targets![0]!.expr = 'sum by (route) (max_over_time(k6_http_reqs_total{route=~"$route"}[$__range]))'; });
    only(filterProblems(noTestid), /sent: k6_http_reqs_total is not filtered on testid/);
    const noRoute = withPanel('Late starts', (p) => { p.targets![0]!.expr = 'sum(max_over_time(k6_party_late_total{testid="$testid"}[$__range]))'; });
    only(filterProblems(noRoute), /Late starts late: k6_party_late_total is not filtered on route/);
    const droppedByRoute = withPanel(CLASSES, (p) => {
      p.targets!.find((t) => t.refId === 'not_sent')!.expr = 'sum by (route) (max_over_time(k6_dropped_iterations_total{testid="$testid", route!="", route=~"$route"}[$__range]))';
    });
    const found = filterProblems(droppedByRoute);
    assert.ok(found.some((p) => /not_sent: k6_dropped_iterations_total has no route label/.test(p)), found.join('\n'));
    assert.ok(found.some((p) => /not_sent: k6_dropped_iterations_total is not narrowed/.test(p)), found.join('\n'));
    const count = withPanel('Latency of successful answers per scenario (ms)', (p) => { p.targets![0]!.expr = 'sum(k6_http_req_duration_count{testid="$testid", route=~"$route"})'; });
    only(filterProblems(count), /scaled wrongly/);
  });

  test('selectors are read past quoted text, braces and label_replace', () => {
    assert.deepEqual(selectors('label_replace(max_over_time(k6_a_total{testid="$testid", scenario=~"($route)_c[0-9]+"}[$__range]), "route", "$1", "scenario", "k6_fake{x}") + k6_vus'), [
      { metric: 'k6_a_total', matchers: [{ label: 'testid', op: '=', value: '$testid' }, { label: 'scenario', op: '=~', value: '($route)_c[0-9]+' }] },
      { metric: 'k6_vus', matchers: [] },
    ]);
    assert.deepEqual(groupingLabels('sum by (route, offset) (x) or on(route) (0 * y) * on(a) group_left(b) z + label_replace(v, "route", "$1", "scenario", "(.+)")'), ['route', 'offset', 'route', 'a', 'b', 'route']);
  });

  test('cardinality: grouping by url, error or vu, or a legend of them, is reported', () => {
    const d = withPanel('Answers per class over time', (p) => {
      p.targets![0]!.expr = 'sum by (route, url) (increase(k6_party_responses_total{testid="$testid", route=~"$route"}[$__rate_interval]))';
      p.targets![1]!.legendFormat = '{{vu}}';
    });
    const e = withPanel(CLASSES, (p) => { p.targets![0]!.expr = p.targets![0]!.expr!.replace('sum by (route)', 'sum by (route, error)'); });
    const found = [...cardinalityProblems(d), ...cardinalityProblems(e)];
    assert.deepEqual(found.map((p) => p.replace(/^.*: /, '')), ['groups by url, which is not a label of bounded cardinality', 'legend shows vu, which is not a label of bounded cardinality', 'groups by error, which is not a label of bounded cardinality']);
  });

  test('report panels: a refId dropped or added, a count without its 0, the classes panel renamed', () => {
    const dropped = withPanel(CLASSES, (p) => { p.targets = p.targets!.filter((t) => t.refId !== 'not_sent'); });
    only(reportPanelProblems(dropped), /refIds are .* not exactly/);
    const added = withPanel(CLASSES, (p) => { p.targets!.push({ ...p.targets!.find((t) => t.refId === 'other')!, refId: 'invalid' }); });
    only(reportPanelProblems(added), /refIds are .* not exactly/);
    const noZero = withPanel(CLASSES, (p) => { const t = p.targets!.find((x) => x.refId === 'other')!; t.expr = t.expr!.replace(/ or on\(route\).*$/, ''); });
    only(reportPanelProblems(noZero), /other: no 0 per route/);
    const renamed = withPanel(CLASSES, (p) => { p.title = 'Classes'; });
    assert.deepEqual(reportPanelProblems(renamed), [`no panel titled "${CLASSES}"`]);
    const ms = withPanel('Latency of successful answers per scenario (ms)', (p) => { p.targets![1]!.expr = p.targets![1]!.expr!.replace(' * 1000', ''); p.description = 'p95'; });
    const found = reportPanelProblems(ms);
    assert.ok(found.some((p) => p.startsWith('latency p95:')) && found.some((p) => p.includes('route-level')), found.join('\n'));
  });

  test('route names: a route missing or misnamed', () => {
    const d = withPanel(CLASSES, (p) => {
      const names = (p.fieldConfig!.overrides!.find((o) => o.matcher?.options === 'Route')!.properties![0]!.value as Array<{ options: Record<string, { text: string }> }>)[0]!.options;
      delete names.put_link;
      names.id!.text = '/businesses/{id}';
    });
    assert.deepEqual(routeNameProblems(d), [`${CLASSES}: route id reads "/businesses/{id}", not "/businesses/id/"`, `${CLASSES}: route put_link reads undefined, not "PUT /businesses/sample/link/"`]);
  });
});

describe('compose and provisioning checks, broken on purpose', () => {
  const good = readStack();
  const broken = (f: (s: Stack) => void) => { const s = copy(good); f(s); return s; };

  test('an image on latest, without a tag, or on a moving major', () => {
    for (const image of ['grafana/grafana:latest', 'grafana/grafana', 'prom/prometheus:v2']) {
      only(stackProblems(broken((s) => { s.compose.services!.grafana!.image = image; }), diskExists), /compose grafana: image .* is not pinned/);
    }
    assert.deepEqual(stackProblems(broken((s) => { s.compose.services!.grafana!.image = `grafana/grafana@sha256:${'a'.repeat(64)}`; }), diskExists), []);
  });

  test('a mount of a file that is not there, an undeclared volume, a config file nothing mounts', () => {
    only(stackProblems(broken((s) => { s.compose.services!.prometheus!.volumes![0] = './nowhere.yml:/etc/prometheus/prometheus.yml:ro'; }), diskExists),
      /mounts \.\/nowhere\.yml, which is not in grafana\/|--config.file=.* is not a file mounted/);
    only(stackProblems(broken((s) => { delete s.compose.volumes; }), diskExists), /volume prometheus-data is not declared/);
    only(stackProblems(broken((s) => { s.compose.services!.prometheus!.command = s.compose.services!.prometheus!.command!.map((c) => c.replace('/etc/prometheus/', '/etc/elsewhere/')); }), diskExists),
      /--config.file=\/etc\/elsewhere\/prometheus.yml is not a file mounted/);
    // The same stack, on a disk where the dashboard is missing.
    const found = stackProblems(good, (p) => p !== DASHBOARD && existsSync(p));
    assert.ok(found.some((p) => p.includes('party-perf.dashboard.json, which is not in grafana/')), found.join('\n'));
    assert.ok(found.some((p) => p.startsWith('provisioning dashboards:')), found.join('\n'));
  });

  test('provisioning that points where nothing is mounted, a datasource that is not the compose service', () => {
    only(stackProblems(broken((s) => { s.providers.providers![0]!.options!.path = '/var/lib/grafana/dashboards'; }), diskExists), /provisioning dashboards: \/var\/lib\/grafana\/dashboards does not hold/);
    only(stackProblems(broken((s) => { s.datasources.datasources![0]!.url = 'http://localhost:9090'; }), diskExists), /url http:\/\/localhost:9090 is not the compose service/);
    only(stackProblems(broken((s) => { s.datasources.datasources![0]!.uid = 'prom'; }), diskExists), /no datasource with uid prometheus/);
    only(stackProblems(broken((s) => { s.compose.services!.grafana!.volumes = s.compose.services!.grafana!.volumes!.filter((v) => !String(v).startsWith('./provisioning')); }), diskExists),
      /provisioning\/(datasources|dashboards) is not mounted/);
  });

  test('a Prometheus without the remote write receiver', () => {
    only(stackProblems(broken((s) => { s.compose.services!.prometheus!.command = s.compose.services!.prometheus!.command!.filter((c) => c !== '--web.enable-remote-write-receiver'); }), diskExists),
      /no --web.enable-remote-write-receiver/);
  });
});

test('the guide starts the stack this folder holds and asks k6 for every trend stat the dashboard reads', () => {
  const guide = readFileSync(join(repo, 'docs/grafana.md'), 'utf8');
  assert.ok(guide.includes('docker compose -f grafana/compose.yml up -d'), 'docs/grafana.md does not start grafana/compose.yml');
  const read = new Set(targetsOf(readDashboard()).flatMap(({ t }) => [...(t.expr ?? '').matchAll(/k6_http_req_duration_(p\d+|max|min|avg|med)\b/g)].map((m) => m[1]!)));
  const asked = [...guide.matchAll(/K6_PROMETHEUS_RW_TREND_STATS='([^']*)'/g)].map((m) => m[1]!.split(',').map((x) => x.replace(/^p\((\d+)\)$/, 'p$1')));
  assert.ok(asked.length > 0, 'docs/grafana.md sets no K6_PROMETHEUS_RW_TREND_STATS');
  for (const stats of asked) for (const r of read) assert.ok(stats.includes(r), `docs/grafana.md asks k6 for ${stats.join(',')}, without ${r}, which the dashboard reads`);
});
