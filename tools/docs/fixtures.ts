// What the samples and screenshots in the docs are made from: real k6
// output kept in test/fixtures/, the environment each was recorded with, and
// a fixed clock, so the same files give the same text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type Env } from '../../lib/config.ts';
import { buildSummary, runFromConfig } from '../../lib/summary/build.ts';
import type { SummaryModel } from '../../lib/summary/model.ts';
import type { Run } from '../compare/diff.ts';
import { checkSummary } from '../compare/load.ts';

/**
 * `k6 run` of the quick profile with k6 v0.49.0 against the reference
 * target's report-baseline preset (test/fixtures/k6-v0.49/README.md says
 * how it was recorded): the report's story, with its failures.
 */
export const SUITE_FIXTURE = 'test/fixtures/k6-v0.49/quick-report-baseline.json';
/** The `-e` of that run (no SUMMARY_DIR: plain `k6 run` writes to summaries/). */
export const SUITE_ENV: Env = { PROFILE: 'quick', LABEL: 'quick-report-baseline', SEED: '7', BASE_URL: 'http://127.0.0.1:18090', K6_VERSION: 'v0.49.0' };
export const SUITE_NOW = Date.UTC(2026, 11, 7, 3, 6, 2);
/** The SEED that run used (SUITE_ENV's). */
export const SUITE_SEED = 7;

/** A healthy run and one with k6 starved of CPU (test/schedule-lag.test.ts). */
export const LAG_FIXTURES = {
  healthy: { file: 'test/fixtures/k6-v0.49/lag/healthy.json', env: { TIMEOUT: '2s', SEED: '1', PREFLIGHT: 'false', BASE_URL: 'http://127.0.0.1:33651', ROUTES: 'id,ref', COUNTS: '100', OFFSETS: '20,50' } },
  starved: { file: 'test/fixtures/k6-v0.49/lag/starved.json', env: { TIMEOUT: '2s', SEED: '1', PREFLIGHT: 'false', BASE_URL: 'http://127.0.0.1:33651', ROUTES: 'id,ref', COUNTS: '3000', OFFSETS: '2,1' } },
} as const;
export const LAG_NOW = Date.UTC(2026, 11, 7, 3);

/** The optimisations report's three result sets, as `npm run compare -- <these>` is shown in the docs. */
export const COMPARE_FIXTURES = ['test/fixtures/compare/docker.summary.json', 'test/fixtures/compare/gunicorn.summary.json', 'test/fixtures/compare/simplecache.summary.json'];

/** k6 v0.49.0's `--out csv` of test/fixtures/k6-v0.49/matrix.js. */
export const PLOT_FIXTURE = 'test/fixtures/k6-v0.49/raw.csv.gz';
/** A real spike against the pool-100 preset (test/fixtures/k6-v0.49/windows/README.md): its summary data, raw output and env. */
export const SPIKE_FIXTURE = 'test/fixtures/k6-v0.49/windows/spike-pool-100.json';
export const SPIKE_RAW = 'test/fixtures/k6-v0.49/windows/spike-pool-100.raw.csv.gz';
export const SPIKE_ENV: Env = { PROFILE: 'spike', GATE_P95: '2000', LABEL: 'spike-pool-100', SEED: '1', BASE_URL: 'http://127.0.0.1:38607', K6_VERSION: 'v0.49.0' };
export const SPIKE_NOW = Date.UTC(2026, 11, 7, 4, 14, 20);

export const readJson = (root: string, file: string): unknown => JSON.parse(readFileSync(join(root, file), 'utf8'));

/** A model as the bundle builds it from k6's data, with the run's env, its SEED and the given clock. */
export function modelOf(root: string, file: string, env: Env, now: number, k6Version: string | null = 'v0.49.0'): SummaryModel {
  return buildSummary(readJson(root, file), runFromConfig(parseConfig(env, 'report'), Number(env.SEED ?? 1), k6Version), now);
}

/** The runs as tools/compare/load.ts reads them, named by their path from the repository root (as the command line gives them). */
export function compareRuns(root: string, files: string[] = COMPARE_FIXTURES): Run[] {
  return files.map((file) => {
    const doc = readJson(root, file);
    const model = checkSummary(doc, file);
    const written = (doc as { version: number }).version;
    return written < model.version ? { file, model, upgradedFrom: written } : { file, model };
  });
}
