// Where the users run the suite besides a terminal: the GitHub workflow, and
// Grafana k6 cloud (options.cloud, files that `k6 archive` must carry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { parseConfig } from '../lib/config.ts';
import type { SummaryModel } from '../lib/summary/model.ts';
import { parseArgs } from '../tools/compare/args.ts';
import { compare, type Run, type Tolerance } from '../tools/compare/diff.ts';
import { loadRun } from '../tools/compare/load.ts';
import { evaluateRules, parseRule, type Rule } from '../tools/compare/rules.ts';
import { loadBundle, repo } from './helpers/k6.ts';

interface Step { name?: string; id?: string; if?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Job { steps: Step[]; 'runs-on': string; 'timeout-minutes': number; env: Record<string, string> }
const workflow = parse(readFileSync(join(repo, '.github/workflows/perf.yml'), 'utf8')) as {
  on: Record<string, unknown> & { workflow_dispatch: { inputs: Record<string, { type?: string; options?: string[]; default?: string }> } };
  jobs: Record<string, Job>;
};
const jobs = Object.values(workflow.jobs);
const steps = jobs.flatMap((j) => j.steps);
const runs = steps.filter((s) => s.run).map((s) => s.run!).join('\n');
const stepUsing = (action: string): Step => steps.find((s) => s.uses?.startsWith(`${action}@`))!;
const findStep = steps.find((s) => s.id === 'results')!;
const compareStep = steps.find((s) => s.run?.includes('npm run --silent compare --'))!;

// Per action: the first major whose action.yml runs on Node 24 (GitHub has
// deprecated Node 20), and the inputs action.yml declares at the current
// major (checkout v7, setup-node v7, upload-artifact v7, setup-k6-action v1 =
// v1.2.1, action-download-artifact v21, action-junit-report v6). A newer
// major passes; an older one, an unknown action or an unknown input fails.
const ACTIONS: Record<string, { node24From: number; inputs: string[] }> = {
  'actions/checkout': { node24From: 5, inputs: ['repository', 'ref', 'token', 'path', 'clean', 'fetch-depth', 'fetch-tags', 'lfs', 'submodules', 'persist-credentials'] },
  'actions/setup-node': { node24From: 5, inputs: ['node-version', 'node-version-file', 'architecture', 'check-latest', 'registry-url', 'cache', 'cache-dependency-path'] },
  'actions/upload-artifact': { node24From: 6, inputs: ['name', 'path', 'if-no-files-found', 'retention-days', 'compression-level', 'overwrite', 'include-hidden-files'] },
  // v1 is a moving tag: it runs on Node 24 since v1.2.
  'grafana/setup-k6-action': { node24From: 1, inputs: ['k6-version', 'browser', 'github-token'] },
  'dawidd6/action-download-artifact': {
    node24From: 17,
    inputs: ['github_token', 'workflow', 'workflow_conclusion', 'branch', 'event', 'name', 'name_is_regexp', 'path', 'search_artifacts', 'if_no_artifact_found', 'allow_forks'],
  },
  'mikepenz/action-junit-report': { node24From: 6, inputs: ['report_paths', 'check_name', 'annotate_only', 'fail_on_failure', 'job_summary', 'include_passed'] },
};

test('the workflow uses known actions at a major that runs on Node 24 (or a commit), with inputs their action.yml declares', () => {
  const used = steps.filter((s) => s.uses);
  assert.ok(used.length >= 5);
  for (const s of used) {
    const m = /^([\w.-]+\/[\w.-]+)@(?:v(\d+)|[0-9a-f]{40})$/.exec(s.uses!);
    assert.ok(m, `${s.uses} is not pinned to a major version or a commit`);
    const known = ACTIONS[m[1]!];
    assert.ok(known, `${m[1]} is not a known action`);
    if (m[2] !== undefined) assert.ok(Number(m[2]) >= known.node24From, `${s.uses}: majors before v${known.node24From} run on the deprecated Node 20`);
    for (const k of Object.keys(s.with ?? {})) assert.ok(known.inputs.includes(k), `${s.uses} has no input '${k}'`);
  }
});

test('the workflow runs the README commands and the smoke bundle, and keeps the results', () => {
  assert.ok('pull_request' in workflow.on);
  assert.match(runs, /^npm ci$/m);
  const start = /npm start -- --scenario (\S+)/.exec(runs);
  assert.ok(start, 'the suite runs through npm start');
  assert.ok(existsSync(join(repo, 'scenarios', `${start[1]}.ts`)), `scenario ${start[1]} exists`);
  assert.match(runs, /report\.md" >> "\$GITHUB_STEP_SUMMARY"/);
  assert.match(compareStep.run!, /npm run --silent compare -- baseline\/summary\.json/);
  assert.match(String(stepUsing('grafana/setup-k6-action').with?.['k6-version']), /^\d+\.\d+\.\d+$/);
  assert.match(String(stepUsing('mikepenz/action-junit-report').with?.report_paths), /junit\.xml$/);
  assert.match(String(stepUsing('actions/upload-artifact').with?.name), /^perf-results-/);
  const scripts = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).scripts as Record<string, string>;
  for (const m of runs.matchAll(/npm run (?:--silent )?([\w:-]+)/g)) assert.ok(scripts[m[1]!], `npm run ${m[1]} exists`);
});

// Install, seeding and the report take minutes of their own.
const SETUP_MARGIN_MS = 10 * 60_000;

test('a manual run offers only profiles the job\'s bundle runs and that finish well within the job timeout', () => {
  const input = workflow.on.workflow_dispatch.inputs.profile!;
  assert.equal(input.type, 'choice', 'a free-text profile could name one the timeout kills');
  assert.ok(input.options!.includes(input.default!));
  const bundle = /npm start -- --scenario (\S+)/.exec(runs)![1]!;
  for (const job of jobs) {
    for (const name of input.options!) {
      const c = parseConfig({ PROFILE: name }, bundle);
      assert.ok(c.plan.totalMs <= job['timeout-minutes'] * 60_000 - SETUP_MARGIN_MS,
        `${name} plans ${(c.plan.totalMs / 60_000).toFixed(1)} min, the job is killed after ${job['timeout-minutes']}`);
    }
  }
  assert.ok(!input.options!.includes('report') && !input.options!.includes('single-route'));
});

/** Runs the "Find the results folder" step in a scratch folder holding `files`; its outputs. */
function findOutputs(files: string[] | null): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'perf-yml-'));
  if (files) {
    mkdirSync(join(dir, 'summaries', 'ci-7-20240101-000000'), { recursive: true });
    for (const f of files) writeFileSync(join(dir, 'summaries', 'ci-7-20240101-000000', f), '{}');
  }
  const out = join(dir, 'github-output');
  writeFileSync(out, '');
  const script = findStep.run!.replace(/\$\{\{[^}]*\}\}/g, 'x');
  const r = spawnSync('bash', ['-e', '-c', script], { cwd: dir, env: { PATH: process.env.PATH, GITHUB_OUTPUT: out, PROFILE: 'smoke' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const o = Object.fromEntries(readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  if (files) assert.ok(existsSync(join(dir, o.dir!, 'ci-run.txt')), 'the run names itself in its results');
  return o;
}

test('steps that read results run only when the file they read exists (a run that stopped before k6 has none)', () => {
  assert.deepEqual(findOutputs(null), { dir: '' });
  assert.deepEqual(findOutputs([]), { dir: 'summaries/ci-7-20240101-000000/' });
  assert.deepEqual(findOutputs(['businesses.csv', 'summary.json']), { dir: 'summaries/ci-7-20240101-000000/', summary: 'true' });
  assert.deepEqual(findOutputs(['report.md', 'summary.json', 'junit.xml']),
    { dir: 'summaries/ci-7-20240101-000000/', report: 'true', summary: 'true', junit: 'true' });
  const output = { 'report.md': 'report', 'summary.json': 'summary', 'junit.xml': 'junit' } as Record<string, string>;
  let guarded = 0;
  for (const s of steps.slice(steps.indexOf(findStep) + 1)) {
    assert.match(s.if ?? '', /^always\(\) && /, `${s.name ?? s.uses} runs after a failed run too`);
    const text = `${s.run ?? ''} ${JSON.stringify(s.with ?? {})}`;
    for (const m of text.matchAll(/(?:\{DIR\}|outputs\.dir \}\})(report\.md|summary\.json|junit\.xml)/g)) {
      assert.ok(s.if!.includes(`steps.results.outputs.${output[m[1]!]} == 'true'`), `${s.name ?? s.uses} reads ${m[1]} without checking it exists`);
      guarded++;
    }
    if (/baseline\//.test(s.run ?? '')) assert.ok(s.if!.includes("steps.baseline.outputs.found_artifact == 'true'"), `${s.name} reads the baseline unguarded`);
  }
  assert.ok(guarded >= 3);
});

test('the baseline comes only from push runs on main of the same profile', () => {
  const dl = stepUsing('dawidd6/action-download-artifact').with!;
  const up = stepUsing('actions/upload-artifact').with!;
  assert.equal(dl.workflow, 'perf.yml');
  assert.equal(dl.branch, 'main');
  assert.equal(dl.event, 'push', 'a manual run (of another profile) is never a baseline');
  assert.equal(dl.name, up.name, 'the artifact name carries the profile');
  assert.match(String(up.name), /\$\{\{ env\.PROFILE \}\}/);
  assert.equal(dl.search_artifacts, true);
});

test('a fork\'s pull request: annotations instead of the check, said in the job summary; the Markdown report stays', () => {
  for (const job of jobs) assert.match(job.env.FORK_PR!, /github\.event_name == 'pull_request' && github\.event\.pull_request\.head\.repo\.full_name != github\.repository/);
  assert.equal(stepUsing('mikepenz/action-junit-report').with!.annotate_only, '${{ env.FORK_PR }}');
  const note = steps.find((s) => s.if?.includes("env.FORK_PR == 'true'"));
  assert.match(note?.run ?? '', /No 'perf thresholds' check was published.*>> "\$GITHUB_STEP_SUMMARY"/s);
  for (const s of steps.filter((x) => /report\.md|compare/.test(x.run ?? ''))) assert.doesNotMatch(s.if ?? '', /FORK/, `${s.name} runs on forks too`);
});

// Latency noise of real runs: six smoke runs of the same code under k6 v0.49
// against the reference target, back to back on a 2-core machine shared with
// other load tests. A route's p95 ranged from 9 to 106 ms (92 ms apart).
const NOISE = join(repo, 'test/fixtures/ci-noise');
const noiseRuns = readdirSync(NOISE).filter((f) => f.endsWith('.summary.json')).sort().map((f) => loadRun(join(NOISE, f)));
const workflowCompare = () => {
  const line = compareStep.run!.slice(compareStep.run!.indexOf('npm run --silent compare --')).split('>>')[0]!.replace(/\\\n/g, ' ');
  const words = [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!).slice(5);
  const opts = parseArgs(words);
  return { opts, rules: opts.rules.map(parseRule) };
};
const broken = (a: Run, b: Run, tol: Tolerance, rules: Rule[]) => evaluateRules(compare([a, b], tol), rules).flatMap((r) => r.violations.map((v) => v.message));
const pairs = <T>(xs: T[]): Array<[T, T]> => xs.flatMap((a) => xs.filter((b) => b !== a).map((b): [T, T] => [a, b]));

test('identical real smoke runs never break the workflow\'s rules, in either order; without the floor they would', () => {
  const { opts, rules } = workflowCompare();
  assert.ok(rules.some((r) => r.kind === 'p95-increase') && rules.some((r) => r.kind === 'success-rate-drop'), 'the gate judges latency and success');
  assert.ok(noiseRuns.length >= 5);
  for (const [a, b] of pairs(noiseRuns)) {
    const results = evaluateRules(compare([a, b], opts.tolerance), rules);
    assert.deepEqual(results.flatMap((r) => r.violations.map((v) => v.message)), [], `${a.model.label} vs ${b.model.label}`);
    assert.deepEqual(results.flatMap((r) => r.unevaluated), [], 'every cell is judged: 120 answers per route are enough for a p95');
  }
  // The same runs under relative rules alone (the old gate) do break: the noise is real.
  const bare = { ...opts.tolerance, ms: 0 };
  assert.ok(pairs(noiseRuns).some(([a, b]) => broken(a, b, bare, rules).length > 0));
});

/** A copy of a run with every route / overall latency figure moved by `shift(ms)`. */
function shifted(run: Run, label: string, shift: (ms: number) => number): Run {
  const model = structuredClone(run.model) as SummaryModel;
  model.label = label;
  for (const l of [...model.routes.map((r) => r.latency), model.totals.latency]) {
    if (!l) continue;
    for (const k of ['median', 'p95', 'p99', 'max'] as const) if (l[k] !== null) l[k] = Math.max(0, shift(l[k]!));
  }
  return { file: `${label}.json`, model };
}

test('noise up to 1.25x the worst the real runs showed breaks nothing; a real slowdown or failures still break the gate', () => {
  const { opts, rules } = workflowCompare();
  let worst = 0;
  for (const [a, b] of pairs(noiseRuns)) {
    for (const r of a.model.routes) worst = Math.max(worst, Math.abs((b.model.routes.find((x) => x.route === r.route)!.latency!.p95 ?? 0) - (r.latency!.p95 ?? 0)));
  }
  assert.ok(worst > 50, `the fixtures hold real noise (${worst} ms)`);
  let seed = 7;
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  const base = noiseRuns[0]!;
  for (let i = 0; i < 200; i++) {
    const noisy = shifted(base, `noisy-${i}`, (ms) => ms + (random() * 2 - 1) * 1.25 * worst);
    assert.deepEqual(broken(base, noisy, opts.tolerance, rules), [], `noisy-${i}`);
    assert.deepEqual(broken(noisy, base, opts.tolerance, rules), [], `noisy-${i} as the baseline`);
  }
  const slow = shifted(base, 'slow', (ms) => ms * 2 + 300);
  assert.ok(broken(base, slow, opts.tolerance, rules).some((m) => /p95 .* \(\+\d+\.\d %, \+\d+\.\d ms\)$/.test(m)));
  const failing = structuredClone(base.model) as SummaryModel;
  for (const s of failing.scenarios) { s.classes.success -= 4; s.classes.server_error += 4; }
  assert.ok(broken(base, { file: 'f.json', model: failing }, opts.tolerance, rules).some((m) => /success .* pp\)$/.test(m)));
});

test('the workflow\'s comparison step, run as written on two identical runs, passes and names the baseline\'s run', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'perf-compare-'));
  const [a, b] = [noiseRuns[0]!, noiseRuns[1]!];
  mkdirSync(join(tmp, 'baseline'));
  mkdirSync(join(tmp, 'pr'));
  writeFileSync(join(tmp, 'baseline/summary.json'), JSON.stringify(a.model));
  writeFileSync(join(tmp, 'baseline/ci-run.txt'), 'run 41 (push, main 0123abc, profile smoke): https://github.example/actions/runs/41\n');
  writeFileSync(join(tmp, 'pr/summary.json'), JSON.stringify(b.model));
  const summary = join(tmp, 'step-summary.md');
  const cli = `"${process.execPath}" --import "${pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href}" "${join(repo, 'tools/compare/cli.ts')}"`;
  const script = compareStep.run!.replace('npm run --silent compare --', cli);
  const r = spawnSync('bash', ['-e', '-c', script], { cwd: tmp, env: { PATH: process.env.PATH, DIR: 'pr/', PROFILE: 'smoke', GITHUB_STEP_SUMMARY: summary }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const md = readFileSync(summary, 'utf8');
  assert.match(md, /^Baseline: run 41 \(push, main 0123abc, profile smoke\): https:\/\/github\.example\/actions\/runs\/41$/m);
  assert.match(md, /No regression beyond the tolerance/);
});

test('options.cloud (with the stack k6 v2 needs) from env; none on a local run; no ext.loadimpact', async () => {
  const { mod } = await loadBundle('report', { env: { K6_CLOUD_PROJECT_ID: '3471', K6_CLOUD_STACK_ID: '9001', CLOUD_ZONES: 'amazon:gb:london=100', LABEL: 'nightly' } });
  assert.deepEqual(mod.options.cloud, {
    name: 'party-perf report (nightly)', projectID: 3471, stackID: 9001,
    distribution: { amazon_gb_london: { loadZone: 'amazon:gb:london', percent: 100 } },
  });
  assert.equal(mod.options.ext, undefined);
  // k6 v0.49 warns 'unknown field "cloud"' for the key itself, even empty.
  const local = await loadBundle('smoke', { env: { K6_CLOUD_TOKEN: 'not-a-cloud-option' } });
  assert.ok(!('cloud' in local.mod.options), 'a local run exports no options.cloud');
});

test('bundles read only files inside the repository, by paths relative to the bundle (k6 archive carries them); the folder probes open nothing', async () => {
  for (const name of ['report', 'smoke', 'single-route', 'mixed']) {
    const { rec } = await loadBundle(name);
    assert.deepEqual(rec.opened, ['../data/businesses.csv'], name);
    for (const p of rec.opened) assert.ok(resolve(repo, 'dist', p).startsWith(repo + sep), `${p} stays inside the repository`);
  }
  const { rec } = await loadBundle('writes');
  assert.deepEqual(rec.opened, [], 'the writes bundle needs no data file');
  for (const f of ['report', 'smoke', 'single-route', 'writes', 'mixed']) {
    // Outside the embedded text, open() is called in two places: the probe
    // of the results folder (which opens nothing: k6 refuses folders) and the
    // data file, with the configured path.
    const code = readFileSync(join(repo, 'dist', `${f}.cjs`), 'utf8').replace(/(["'`])(?:\\.|(?!\1).)*\1/gs, '""');
    assert.deepEqual([...code.matchAll(/\bopen\(([^)]*)\)/g)].map((m) => m[1]), ['path', 'path'], f);
    assert.deepEqual([...code.matchAll(/\bopenData\(([^)]*)\)/g)].map((m) => m[1]).filter((a) => a !== 'path'), ['runtime.dataFile'], f);
    // openError probes folders (k6's open() refuses them): the results folder and /dev.
    assert.deepEqual([...code.matchAll(/\bopenError\(((?:[^()]|\(\))*)\)/g)].map((m) => m[1]).filter((a) => a !== 'path'), ['cold().REAL_FILES_PROBE', 'folder.path'], f);
  }
});
