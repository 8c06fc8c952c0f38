// Env variables -> one typed, validated config. Pure: no k6 import.
// Shape checks come from data/schemas/env.schema.json through ajv (compiled
// to standalone code by build.mjs); ranges, names and the host rule are
// checked here. Every problem is collected, then reported in one message.
import { validateEnv } from './generated/validate-env.js';
import { PROFILES, profileNames, type Profile } from './profiles.ts';
import { routeByKey, routeKeys } from './routes.ts';
import { buildPlan, PlanError, type Plan } from './plan.ts';
import { offsetForRate } from './windows.ts';
import envSchema from '../data/schemas/env.schema.json';
import { cloudOptions, type CloudOptions } from './cloud.ts';
import { maskCredentials } from './summary/redact.ts';

export type Env = Record<string, string | undefined>;

export interface Config {
  /** Without trailing slash; never carries credentials (the schema forbids them). */
  baseUrl: string;
  host: string;
  profile: Profile;
  user: string;
  password: string;
  /** null: the run picks one and prints it. */
  seed: number | null;
  label: string;
  /** Relative to the bundle (dist/) or absolute, as k6's open() takes it. */
  dataFile: string;
  summaryDir: string | null;
  preflight: boolean;
  plan: Plan;
  /** options.cloud for `k6 cloud run`; null (not exported) when no cloud variable is set. */
  cloud: CloudOptions | null;
}

export const DEFAULTS = {
  BASE_URL: 'http://127.0.0.1:8081',
  PARTY_USER: 'admin',
  PARTY_PASSWORD: 'secret',
  DATA_FILE: '../data/businesses.csv',
} as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `party-perf: invalid configuration, nothing was sent:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'See docs/configuration.md, "Environment variables".',
    );
    this.name = 'ConfigError';
  }
}

type SchemaProps = Record<string, { description?: string }>;
const props = (envSchema as { properties: SchemaProps }).properties;
/** The variables this suite reads, for tools that pass env through to k6. */
export const ENV_NAMES = Object.keys(props);

const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter((x) => x !== '');
const numbers = (s: string): number[] => list(s).map(Number);

/** "30s" / "500ms" / "2m" / "8h" / "1500" (ms) -> ms. Shape already checked by the schema. */
export function parseDurationMs(s: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)?$/.exec(s);
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : m[2] === 'h' ? n * 3_600_000 : n;
}

// Spacing of `rate` requests/s: fractional offsets are valid for k6 (`7.299ms`).
export { offsetForRate } from './windows.ts';

/** Host part of an http(s) URL, lower-cased; IPv6 keeps its brackets. */
export function hostOf(url: string): string {
  const m = /^https?:\/\/(\[[^\]]*\]|[^:/?#]+)/i.exec(url);
  return m ? (m[1] ?? '').toLowerCase() : '';
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * What the schema lets through but no target answers: the API prefix in
 * BASE_URL (every route adds it; a path of a proxy's own stays allowed) and a
 * port out of range.
 */
export function baseUrlProblems(baseUrl: string): string[] {
  const out: string[] = [];
  const m = /^https?:\/\/(?:\[[^\]]*\]|[^:/?#]+)(?::([^/?#]*))?(\/.*)?$/i.exec(baseUrl);
  if (!m) return out;
  const port = m[1];
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    out.push(`BASE_URL=${JSON.stringify(baseUrl)}: port ${port || '(empty)'} is not a TCP port: use 1 to 65535`);
  }
  const path = m[2] ?? '';
  if (/\/party-api(\/v1)?$/i.test(path)) {
    const cut = path.slice(path.search(/\/party-api/i));
    out.push(`BASE_URL=${JSON.stringify(baseUrl)}: drop ${cut}: every route adds /party-api/v1 itself, so BASE_URL is the service's root (here ${baseUrl.slice(0, baseUrl.length - cut.length)})`);
  }
  return out;
}

/**
 * Variables that look like one of the suite's but are not (COUNT for
 * COUNTS, timeout for TIMEOUT): the suite would silently use its default.
 * Only near misses: __ENV also holds the whole system environment.
 */
export function nearMisses(env: Env): string[] {
  const out: string[] = [];
  for (const name of Object.keys(env)) {
    if (ENV_NAMES.includes(name)) continue;
    const meant = ENV_NAMES.find((n) => n.toUpperCase() === name.toUpperCase() || n === `${name}S` || `${n}S` === name ||
      (n.length >= 6 && editDistanceIsOne(n, name)));
    if (meant) out.push(`${name} is not a party-perf variable (ignored): did you mean ${meant}?`);
  }
  return out;
}

/** One substitution, insertion or deletion apart. */
function editDistanceIsOne(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Schema check: one line per bad variable, naming it, its value and the fix. */
function shapeProblems(env: Env): string[] {
  const known: Env = {};
  for (const name of ENV_NAMES) if (env[name] !== undefined && env[name] !== '') known[name] = env[name];
  if (validateEnv(known)) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of validateEnv.errors ?? []) {
    const name = e.instancePath.replace(/^\//, '');
    if (seen.has(name)) continue;
    seen.add(name);
    // A refused BASE_URL may carry a password: never echo it.
    out.push(`${name}=${JSON.stringify(maskCredentials(known[name] ?? ''))}: expected ${props[name]?.description ?? e.message}`);
  }
  return out;
}

function rangeCheck(problems: string[], name: string, values: number[], min: number, max: number, unit: string): void {
  for (const v of values) {
    if (!(v >= min && v <= max)) problems.push(`${name}: ${v} is out of range: use ${min} to ${max} ${unit}`);
  }
}

/**
 * Soak and spike: SOAK_* / SPIKE_* shape the windows (lib/windows.ts) and the
 * matrix variables do not apply; elsewhere SOAK_* / SPIKE_* do not.
 */
function windowProblems(problems: string[], profile: Profile, get: (name: string) => string | undefined,
  matrix: Record<'counts' | 'offsets' | 'rate' | 'step' | 'ratio', string | undefined>): void {
  const shape = profile.windows ? { ...profile.windows } : undefined;
  const soak = ['SOAK_RATE', 'SOAK_DURATION'].filter((n) => get(n) !== undefined);
  const spike = ['SPIKE_RATE', 'SPIKE_FACTOR', 'SPIKE_SECONDS'].filter((n) => get(n) !== undefined);
  if (shape?.kind !== 'soak' && soak.length) problems.push(`${soak.join(' and ')} ${soak.length > 1 ? 'apply' : 'applies'} only to PROFILE=soak: unset them, or add PROFILE=soak`);
  if (shape?.kind !== 'spike' && spike.length) problems.push(`${spike.join(', ')} ${spike.length > 1 ? 'apply' : 'applies'} only to PROFILE=spike: unset them, or add PROFILE=spike`);
  if (!shape) return;
  const names = { counts: 'COUNTS', offsets: 'OFFSETS', rate: 'RATE', step: 'STEP', ratio: 'WRITE_RATIO' } as const;
  const own = shape.kind === 'soak' ? 'SOAK_RATE and SOAK_DURATION' : 'SPIKE_RATE, SPIKE_FACTOR and SPIKE_SECONDS';
  for (const k of Object.keys(names) as Array<keyof typeof names>) {
    if (matrix[k] !== undefined) problems.push(`${names[k]} does not apply to PROFILE=${profile.name}: its windows come from ${own} (docs/soak-and-spike.md)`);
  }
  const num = (name: string): number | undefined => (get(name) === undefined ? undefined : Number(get(name)));
  if (shape.kind === 'soak') {
    const rate = num('SOAK_RATE');
    if (rate !== undefined) rangeCheck(problems, 'SOAK_RATE', [(shape.rate = rate)], 0.1, 10_000, 'requests/s per route');
    const d = get('SOAK_DURATION');
    if (d !== undefined) rangeCheck(problems, 'SOAK_DURATION', [(shape.durationMs = parseDurationMs(d))], 60_000, 86_400_000, 'ms (1m to 24h)');
  } else {
    const rate = num('SPIKE_RATE');
    if (rate !== undefined) rangeCheck(problems, 'SPIKE_RATE', [(shape.rate = rate)], 0.1, 10_000, 'requests/s per route');
    const f = num('SPIKE_FACTOR');
    if (f !== undefined) rangeCheck(problems, 'SPIKE_FACTOR', [(shape.factor = f)], 1.5, 1_000, 'times the base rate');
    const sec = num('SPIKE_SECONDS');
    if (sec !== undefined) rangeCheck(problems, 'SPIKE_SECONDS', [sec], 2, 3_600, 's (k6 runs no scenario under 1 s, and a spike of 1 s ends half a spacing short of it)');
    if (sec !== undefined) shape.spikeMs = sec * 1000;
  }
  profile.windows = shape;
}

/**
 * Resolve the config and plan for a run of `defaultProfile` (the scenario file's
 * profile), with env overriding any field. Throws ConfigError listing every
 * problem at once.
 */
export function parseConfig(env: Env, defaultProfile: string): Config {
  const problems = shapeProblems(env);
  const bad = new Set(problems.map((p) => p.slice(0, p.indexOf('='))));
  const get = (name: string): string | undefined => (bad.has(name) || env[name] === '' ? undefined : env[name]);

  const profileName = get('PROFILE') ?? defaultProfile;
  const base = PROFILES[profileName];
  if (!base) problems.push(`PROFILE=${JSON.stringify(profileName)}: unknown profile: use one of ${profileNames().join(', ')}`);
  const profile: Profile = { ...(base ?? PROFILES.smoke!), gates: { ...(base ?? PROFILES.smoke!).gates } };

  const routes = get('ROUTES');
  if (routes !== undefined) {
    profile.routes = list(routes);
    for (const r of profile.routes) {
      if (!routeByKey(r)) problems.push(`ROUTES: unknown route ${JSON.stringify(r)}: use any of ${routeKeys().join(', ')}`);
    }
  }
  const counts = get('COUNTS');
  if (counts !== undefined) {
    profile.counts = numbers(counts);
    delete profile.stepMs; // explicit counts turn a stress profile into a matrix
    rangeCheck(problems, 'COUNTS', profile.counts, 1, 1_000_000, 'requests');
  }
  const offsets = get('OFFSETS');
  if (offsets !== undefined) {
    profile.offsets = numbers(offsets);
    rangeCheck(problems, 'OFFSETS', profile.offsets, 1, 600_000, 'ms');
  }
  // RATE: one arrival rate per route instead of OFFSETS (the capacity search's probes).
  const rate = get('RATE');
  if (rate !== undefined) {
    const r = Number(rate);
    rangeCheck(problems, 'RATE', [r], 0.1, 100_000, 'requests/s per route');
    if (offsets !== undefined) problems.push('RATE and OFFSETS both set the spacing between requests: set only one');
    profile.offsets = [offsetForRate(r)];
  }
  // STEP: each offset runs this long (count = STEP / offset), as the stress profile's steps.
  const step = get('STEP');
  if (step !== undefined) {
    profile.stepMs = parseDurationMs(step);
    rangeCheck(problems, 'STEP', [profile.stepMs], 1_000, 3_600_000, 'ms (1s to 1h)');
    if (counts !== undefined) problems.push('STEP and COUNTS both set the requests per scenario: set only one');
    profile.counts = [];
  }
  const order = get('ORDER');
  if (order !== undefined) profile.order = order as Profile['order'];
  const timeout = get('TIMEOUT');
  if (timeout !== undefined) {
    profile.timeoutMs = parseDurationMs(timeout);
    rangeCheck(problems, 'TIMEOUT', [profile.timeoutMs], 100, 600_000, 'ms (100ms to 10m)');
  }
  const maxVus = get('MAX_VUS');
  if (maxVus !== undefined) {
    profile.maxVUs = Number(maxVus);
    rangeCheck(problems, 'MAX_VUS', [profile.maxVUs], 1, 100_000, 'VUs');
  }
  const validate = get('VALIDATE');
  if (validate !== undefined) profile.validate = validate === 'true';
  const ratio = get('WRITE_RATIO');
  if (ratio !== undefined) {
    profile.writeRatio = Number(ratio);
    rangeCheck(problems, 'WRITE_RATIO', [profile.writeRatio], 0.001, 0.999, '(a share of all requests)');
    const writes = profile.routes.filter((r) => routeByKey(r)?.kind === 'write').length;
    if (writes === 0 || writes === profile.routes.length) {
      problems.push('WRITE_RATIO applies only when reads and writes run side by side: use PROFILE=mixed, or ROUTES with both read and write routes');
    }
  }
  const gs = get('GATE_SUCCESS_RATE');
  if (gs !== undefined) {
    rangeCheck(problems, 'GATE_SUCCESS_RATE', [Number(gs)], 0, 100, '%');
    profile.gates.successRate = Number(gs) / 100;
  }
  const p95 = get('GATE_P95');
  if (p95 !== undefined) profile.gates.p95Ms = p95 === 'off' ? null : Number(p95);
  if (p95 !== undefined && p95 !== 'off' && !(Number(p95) > 0)) problems.push(`GATE_P95=${p95}: no answer is that fast, so the gate could never pass: use a number of ms above 0, or off`);
  const notSent = get('GATE_NOT_SENT');
  if (notSent !== undefined) profile.gates.maxNotSent = notSent === 'off' ? null : Number(notSent);
  const lag = get('GATE_LAG');
  if (lag !== undefined && lag !== 'off') rangeCheck(problems, 'GATE_LAG', [Number(lag)], 0, 100, '% of planned requests');
  if (lag !== undefined) profile.gates.maxLateShare = lag === 'off' ? null : Number(lag) / 100;

  windowProblems(problems, profile, get, { counts, offsets, rate, step, ratio });

  const baseUrl = (get('BASE_URL') ?? DEFAULTS.BASE_URL).replace(/\/+$/, '');
  const host = hostOf(baseUrl);
  const allowed = list(get('ALLOW_HOSTS') ?? '').map((h) => h.toLowerCase());
  if (!bad.has('BASE_URL') && !isLoopback(host) && !allowed.includes(host)) {
    problems.push(
      `BASE_URL=${JSON.stringify(baseUrl)}: ${host} is not a loopback address, and a load test must not hit a shared environment by a typo. ` +
        `If you mean it, add ALLOW_HOSTS=${host}`,
    );
  }

  if (!bad.has('BASE_URL')) problems.push(...baseUrlProblems(baseUrl));

  const label = get('LABEL') ?? profile.name;
  const cloud = cloudOptions(
    {
      K6_CLOUD_PROJECT_ID: get('K6_CLOUD_PROJECT_ID'), K6_CLOUD_STACK_ID: get('K6_CLOUD_STACK_ID'),
      CLOUD_ZONES: get('CLOUD_ZONES'), CLOUD_NAME: get('CLOUD_NAME'),
    },
    profile.name, label, problems,
  );
  let plan: Plan | undefined;
  if (problems.length === 0) {
    try {
      plan = buildPlan(profile);
    } catch (e) {
      if (!(e instanceof PlanError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length || !plan) throw new ConfigError(problems);
  const seed = get('SEED');
  return {
    baseUrl,
    host,
    profile,
    user: get('PARTY_USER') ?? DEFAULTS.PARTY_USER,
    password: get('PARTY_PASSWORD') ?? DEFAULTS.PARTY_PASSWORD,
    seed: seed === undefined ? null : Number(seed),
    label,
    dataFile: get('DATA_FILE') ?? DEFAULTS.DATA_FILE,
    summaryDir: get('SUMMARY_DIR') ?? null,
    preflight: get('PREFLIGHT') !== 'false',
    plan,
    cloud,
  };
}
