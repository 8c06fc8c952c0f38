// options.cloud for Grafana Cloud k6 (`k6 cloud run`). Pure: no k6 import.
// `ext.loadimpact` is gone in k6 v2, so only `cloud` is set. k6 before v0.50
// does not know `cloud` and warns 'unknown field "cloud"' on every run, so it
// is exported only when a cloud variable asks for it.

export interface CloudOptions {
  name: string;
  projectID?: number;
  /** k6 v1.6+; every `k6 cloud` command needs a stack from v2.0. */
  stackID?: number;
  distribution?: Record<string, { loadZone: string; percent: number }>;
}

/** "amazon:gb:london=60,amazon:ie:dublin=40" -> distribution; problems are pushed. */
export function parseZones(spec: string, problems: string[]): CloudOptions['distribution'] {
  const distribution: NonNullable<CloudOptions['distribution']> = {};
  let total = 0;
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    const loadZone = part.slice(0, eq).trim();
    const percent = Number(part.slice(eq + 1));
    total += percent;
    // The label becomes K6_CLOUDRUN_DISTRIBUTION on that zone's instances.
    distribution[loadZone.replace(/[^a-z0-9]+/g, '_')] = { loadZone, percent };
  }
  if (total !== 100) problems.push(`CLOUD_ZONES: the shares add up to ${total}, they must add up to 100`);
  return distribution;
}

export const CLOUD_VARS = ['K6_CLOUD_PROJECT_ID', 'K6_CLOUD_STACK_ID', 'CLOUD_ZONES', 'CLOUD_NAME'] as const;

/** null when no cloud variable is set: a local run exports no options.cloud. */
export function cloudOptions(
  env: Partial<Record<(typeof CLOUD_VARS)[number], string>>,
  profile: string,
  label: string,
  problems: string[],
): CloudOptions | null {
  if (!CLOUD_VARS.some((v) => env[v])) return null;
  const cloud: CloudOptions = { name: env.CLOUD_NAME || (label === profile ? `party-perf ${profile}` : `party-perf ${profile} (${label})`) };
  if (env.K6_CLOUD_PROJECT_ID) cloud.projectID = Number(env.K6_CLOUD_PROJECT_ID);
  if (env.K6_CLOUD_STACK_ID) cloud.stackID = Number(env.K6_CLOUD_STACK_ID);
  if (env.CLOUD_ZONES) cloud.distribution = parseZones(env.CLOUD_ZONES, problems);
  return cloud;
}

/** k6 options with `cloud` only when there is one: the key itself makes k6 < v0.50 warn. */
export function withCloud<T extends object>(options: T, cloud: CloudOptions | null): T & { cloud?: CloudOptions } {
  return cloud ? { ...options, cloud } : options;
}
