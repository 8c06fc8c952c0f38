// options.cloud for Grafana Cloud k6 (`k6 cloud run`). Pure: no k6 import.
// `ext.loadimpact` is gone in k6 v2, so only `cloud` is set. Locally k6
// ignores it.

export interface CloudOptions {
  name: string;
  projectID?: number;
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

export function cloudOptions(
  env: { K6_CLOUD_PROJECT_ID?: string; CLOUD_ZONES?: string; CLOUD_NAME?: string },
  profile: string,
  label: string,
  problems: string[],
): CloudOptions {
  const cloud: CloudOptions = { name: env.CLOUD_NAME || (label === profile ? `party-perf ${profile}` : `party-perf ${profile} (${label})`) };
  if (env.K6_CLOUD_PROJECT_ID) cloud.projectID = Number(env.K6_CLOUD_PROJECT_ID);
  if (env.CLOUD_ZONES) cloud.distribution = parseZones(env.CLOUD_ZONES, problems);
  return cloud;
}
