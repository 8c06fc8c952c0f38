// Code that runs once per test, in k6's first init context (__VU 0): config
// validation, the plan, the CSV parser, the preflight rules. build.mjs
// bundles it on its own and embeds it as text; lib/k6/load.ts compiles it only
// there, so the VUs that send the load never pay for it.
import { parseConfig, type Env } from '../config.ts';
import { k6Options, type K6Options } from '../plan.ts';

export { parseBusinesses } from '../data.ts';
export { preflightProblem } from '../preflight.ts';

/** What every VU needs, shared once through a SharedArray (plain JSON). */
export interface Runtime {
  baseUrl: string;
  user: string;
  password: string;
  timeoutMs: number;
  seed: number;
  seedFromEnv: boolean;
  dataFile: string;
  preflight: boolean;
  label: string;
  profile: string;
}

export interface Prepared {
  options: K6Options;
  runtime: Runtime;
}

export function prepare(env: Env, defaultProfile: string, randomSeed: number): Prepared {
  const c = parseConfig(env, defaultProfile);
  return {
    options: k6Options(c.plan),
    runtime: {
      baseUrl: c.baseUrl,
      user: c.user,
      password: c.password,
      timeoutMs: c.profile.timeoutMs,
      seed: c.seed ?? randomSeed,
      seedFromEnv: c.seed !== null,
      dataFile: c.dataFile,
      preflight: c.preflight,
      label: c.label,
      profile: c.profile.name,
    },
  };
}
