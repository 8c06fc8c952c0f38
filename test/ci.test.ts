// Where the users run the suite besides a terminal: the GitHub workflow, and
// Grafana k6 cloud (options.cloud, files that `k6 archive` must carry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { loadBundle, repo } from './helpers/k6.ts';

interface Step { uses?: string; run?: string; with?: Record<string, unknown> }
const workflow = parse(readFileSync(join(repo, '.github/workflows/perf.yml'), 'utf8')) as {
  on: Record<string, unknown>;
  jobs: Record<string, { steps: Step[]; 'runs-on': string }>;
};
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

// Actions and major versions that exist (checked against their repositories'
// action.yml / tags when this list was written). Anything else fails here.
const KNOWN_ACTIONS: Record<string, string[]> = {
  'actions/checkout': ['v4'],
  'actions/setup-node': ['v4'],
  'actions/upload-artifact': ['v4'],
  'grafana/setup-k6-action': ['v1'],
  'dawidd6/action-download-artifact': ['v6'],
  'mikepenz/action-junit-report': ['v5'],
};

test('the workflow is valid YAML, runs on pull requests, and uses only pinned, known actions', () => {
  assert.ok('pull_request' in workflow.on);
  const uses = steps.filter((s) => s.uses).map((s) => s.uses!);
  assert.ok(uses.length >= 5);
  for (const u of uses) {
    const m = /^([\w.-]+\/[\w.-]+)@(v\d+|[0-9a-f]{40})$/.exec(u);
    assert.ok(m, `${u} is not pinned to a major version or a commit`);
    assert.ok(KNOWN_ACTIONS[m[1]!]?.includes(m[2]!), `${u} is not a known action version`);
  }
});

test('the workflow runs the README commands and the smoke bundle, and keeps the results', () => {
  const runs = steps.filter((s) => s.run).map((s) => s.run!).join('\n');
  assert.match(runs, /^npm ci$/m);
  const start = /npm start -- --scenario (\S+)/.exec(runs);
  assert.ok(start, 'the suite runs through npm start');
  assert.ok(existsSync(join(repo, 'scenarios', `${start[1]}.ts`)), `scenario ${start[1]} exists`);
  assert.match(runs, /report\.md" >> "\$GITHUB_STEP_SUMMARY"/);
  assert.match(runs, /npm run --silent compare -- baseline\/summary\.json/);
  const setup = steps.find((s) => s.uses?.startsWith('grafana/setup-k6-action'));
  assert.match(String(setup?.with?.['k6-version']), /^0\.49\.0$|^\d+\.\d+\.\d+$/);
  const junit = steps.find((s) => s.uses?.startsWith('mikepenz/action-junit-report'));
  assert.match(String(junit?.with?.report_paths), /junit\.xml$/);
  const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
  assert.equal(upload?.with?.name, 'perf-results');
  const scripts = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).scripts as Record<string, string>;
  for (const m of runs.matchAll(/npm run (?:--silent )?([\w:-]+)/g)) assert.ok(scripts[m[1]!], `npm run ${m[1]} exists`);
});

test('options.cloud from env; no ext.loadimpact', async () => {
  const { mod } = await loadBundle('report', { env: { K6_CLOUD_PROJECT_ID: '3471', CLOUD_ZONES: 'amazon:gb:london=100', LABEL: 'nightly' } });
  assert.deepEqual(mod.options.cloud, {
    name: 'party-perf report (nightly)', projectID: 3471,
    distribution: { amazon_gb_london: { loadZone: 'amazon:gb:london', percent: 100 } },
  });
  assert.equal(mod.options.ext, undefined);
});

test('bundles open only files inside the repository, by paths relative to the bundle (k6 archive carries them)', async () => {
  for (const name of ['report', 'smoke', 'single-route', 'mixed']) {
    const { rec } = await loadBundle(name);
    assert.deepEqual(rec.opened, ['../data/businesses.csv'], name);
    for (const p of rec.opened) assert.ok(resolve(repo, 'dist', p).startsWith(repo + sep), `${p} stays inside the repository`);
  }
  const { rec } = await loadBundle('writes');
  assert.deepEqual(rec.opened, [], 'the writes bundle needs no data file');
  for (const f of ['report', 'smoke', 'single-route', 'writes', 'mixed']) {
    // Outside the embedded text, open() is called once, with the configured data file.
    const code = readFileSync(join(repo, 'dist', `${f}.js`), 'utf8').replace(/(["'`])(?:\\.|(?!\1).)*\1/gs, '""');
    assert.deepEqual([...code.matchAll(/\bopen\(([^)]*)\)/g)].map((m) => m[1]), ['runtime.dataFile'], f);
  }
});
