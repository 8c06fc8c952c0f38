// __VU 0's glue: what k6 runs once per test. Its first init context reads
// the options and fills the SharedArrays the VUs read; setup sends the
// preflight, teardown cleans up after writes, handleSummary writes the
// report. build.mjs builds this half apart from the VUs' (lib/k6/vu.ts), so
// no VU that sends load creates any of it; what runs here is mostly cold
// text, compiled only in the context that needs it.
import http from 'k6/http';
import { SharedArray } from 'k6/data';
import { Counter, Gauge } from 'k6/metrics';
import encoding from 'k6/encoding';
import exec from 'k6/execution';
import { check } from 'k6';
import initSource from 'cold:init';
import summarySource from 'cold:summary';
import { loadCold } from './load.ts';
import { otherHalf, ROWS_ARRAY, RUNTIME_ARRAY, VU_RUNTIME_ARRAY, VU_RUNTIME_KEYS, type Suite, type VuRuntime, type WritesSuite } from './shared.ts';
import { box, chunkValues, type Chunk } from '../params.ts';
import { API_PREFIX, DELETE_SAMPLE_PREFIX, urlPrefix, READ_ROUTES } from '../routes.ts';
import { runIdOf, runSampleSummaryId, type RunData } from '../writes.ts';
import { LAG_METRIC, LATE_METRIC, RESPONSES_METRIC, setupCheckName } from '../plan.ts';
import type { Prepared, Runtime } from '../cold/init.ts';
import type * as Init from '../cold/init.ts';
import type * as Summary from '../summary/entry.ts';

type InitModule = typeof Init;
type SummaryModule = typeof Summary;

/** What __VU 0 runs of a bundle. */
type Zero = Pick<WritesSuite, 'options' | 'setup' | 'teardown' | 'handleSummary'>;

// A seeded-data-free probe for plans without reads: answers 200 [] when the
// target is up and takes the credentials.
const PROBE_ID = '00000000-0000-4000-8000-000000000000';

/** What k6's open() says of a path: null when it opened a file (it refuses folders). */
function openError(path: string): string | null {
  try {
    open(path);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The data file's text, or an error that names DATA_FILE and the fix (k6's own is a bare Go stat error). */
function openData(path: string): string {
  try {
    return open(path);
  } catch (e) {
    throw new Error(`DATA_FILE=${JSON.stringify(path)}: k6 cannot open it (${e instanceof Error ? e.message : String(e)}). ` +
      'A relative path is relative to the bundle (dist/), so the default is ../data/businesses.csv: ' +
      'give an absolute path, or write the file with npm run seed');
  }
}

function zero(profile: string, writesBundle: boolean): Zero {
  let init: InitModule | undefined;
  const cold = (): InitModule => init || (init = loadCold<InitModule>(initSource));
  let prepared: Prepared | undefined;
  const prepare = (): Prepared => prepared || (prepared = cold().prepare(__ENV, profile, Math.floor(Math.random() * 2 ** 31), Math.random(), writesBundle));

  // k6 reads `options` from the first init context only, the one where
  // SharedArray callbacks run; the other __VU 0 contexts (setup, teardown,
  // handleSummary) then skip the cold init part unless they call it.
  let first = false;
  const runtime = new SharedArray(RUNTIME_ARRAY, () => {
    first = true;
    const p = prepare();
    // The header every request sends, encoded once here, so no VU encodes it.
    p.runtime.auth = `Basic ${encoding.b64encode(`${p.runtime.user}:${p.runtime.password}`)}`;
    // handleSummary cannot create folders: a missing one is found here,
    // before any load, and never after the run.
    const folder = cold().resultsFolder(__ENV);
    if (folder && cold().folderState(openError(cold().REAL_FILES_PROBE)) === 'folder') {
      const state = cold().folderState(openError(folder.path));
      const problem = cold().resultsFolderProblem(folder, state);
      // Only an absolute SUMMARY_DIR is certain enough to refuse the run.
      if (problem && folder.named && !folder.relative) throw new Error(problem);
      if (problem && folder.named) console.warn(`party-perf: warning: ${problem}`);
      else if (problem) {
        p.runtime.resultsHere = true;
        console.warn(`party-perf: no summaries/ folder where k6 runs (${folder.path}, from PWD): the results go into the folder k6 runs in as <label>-<time>.* files; set SUMMARY_DIR to an existing folder to put them elsewhere`);
      }
    }
    for (const line of p.banner) console.log(line);
    return [p.runtime];
  })[0] as Runtime;
  const options = first ? prepare().options : {};
  new SharedArray<VuRuntime>(VU_RUNTIME_ARRAY, () => {
    const r: Record<string, unknown> = {};
    for (const k of VU_RUNTIME_KEYS) r[k] = runtime[k];
    return [r as VuRuntime];
  });
  // The VUs count every answer but a success in this metric, and late starts
  // in the next two. k6 refuses a threshold on a custom metric the first init
  // context did not create, and the options name them.
  new Counter(RESPONSES_METRIC);
  new Counter(LATE_METRIC);
  new Gauge(LAG_METRIC);
  // The rows in chunks of a few: a VU reads one chunk per few requests and
  // never holds a copy of the whole file (lib/params.ts). Nothing here keeps
  // the text or the chunks once k6 has them: k6 JSON-encodes the elements
  // into its own copy, and the peak of a big file is k6's copies plus ours
  // (docs/weight.md, "Weight per VU").
  const rows: ArrayLike<Chunk> = !runtime.reads ? [] : new SharedArray(ROWS_ARRAY, () => {
    const data = cold().businessChunks(openData(runtime.dataFile), runtime.dataFile);
    const repeats = cold().repeatsWarning(data.count, runtime.largestRead, runtime.dataFile);
    if (repeats) console.warn(repeats);
    return data.chunks.map(box);
  }) as ArrayLike<Chunk>;
  const auth = { Authorization: runtime.auth };

  /** The read preflight (when on): throws the problem and its fix before any load. */
  const preflight = (): void => {
    if (!runtime.preflight) return;
    const url = runtime.reads
      ? urlPrefix(runtime.baseUrl, READ_ROUTES[1]!) + chunkValues(rows[0]!)[0]!
      : `${runtime.baseUrl}${API_PREFIX}/businesses?id=${PROBE_ID}`;
    const res = http.get(url, { headers: auth, timeout: '10s', tags: { name: 'preflight' }, responseType: 'text' });
    // preflightProblem's first rule, here: a passing preflight compiles no
    // cold code in setup's context (k6 runs setup in a context of its own).
    if (res.status === 200) return;
    const problem = cold().preflightProblem(
      { status: res.status, error: res.error, body: typeof res.body === 'string' ? res.body : '' },
      runtime.baseUrl, runtime.dataFile,
    );
    if (problem) throw new Error(problem);
  };

  // The run id: each instance's first init context picks one (runtime), but
  // setup() runs once per test, on one instance, and k6 hands what it returns
  // to every VU of every instance: that is the run id all writes and the
  // teardown use, so a distributed run writes under one sample.
  const checkedSetup = !writesBundle ? preflight : (): RunData => {
    preflight();
    // One OPTIONS per write path the plan uses (changes nothing); the cold part decides, this only sends.
    if (runtime.preflight && runtime.writes) {
      const verdict = cold().checkWrites(runtime.routes, runSampleSummaryId(runtime.runId), runtime.baseUrl,
        (url) => http.options(url, null, { headers: auth, timeout: '10s', tags: { name: 'preflight' } }));
      for (const w of verdict.warnings) console.warn(w);
      if (verdict.problem) throw new Error(verdict.problem);
    }
    return { runId: runtime.runId };
  };
  // A refused run still gets its report (k6 calls handleSummary after a
  // failed setup): the failed check carries the reason there, and fails the
  // success gate with it.
  const setup = (): RunData | void => {
    try {
      return checkedSetup();
    } catch (e) {
      check(null, { [setupCheckName(e instanceof Error ? e.message : String(e))]: () => false });
      throw e;
    }
  };

  // Removes the attributes every business of the run's sample got (the API
  // has no route that deletes a business itself).
  const teardown = !writesBundle ? otherHalf : (data?: RunData): void => {
    if (!runtime.writes) return;
    const runId = runIdOf(data, runtime.runId);
    const url = runtime.baseUrl + API_PREFIX + DELETE_SAMPLE_PREFIX + runSampleSummaryId(runId);
    const res = http.del(url, null, { headers: auth, timeout: '60s', tags: { name: 'teardown' }, responseType: 'text' });
    const m = cold().teardownMessage(runId, url, { status: res.status, error: res.error, body: typeof res.body === 'string' ? res.body : '' });
    if (m.ok) console.log(m.line);
    else console.warn(m.line);
  };

  const handleSummary = (data: object): Record<string, string> => {
    // The execution segment reaches a script only through the options k6
    // consolidated (CLI flags included); handleSummary's data lacks it.
    const o = (exec.test && exec.test.options) as { executionSegment?: string | null; executionSegmentSequence?: string | null } | undefined;
    return loadCold<SummaryModule>(summarySource).handleSummary(data, {
      env: __ENV, profile, seed: runtime.seed, now: Date.now(), resultsHere: runtime.resultsHere,
      segment: o && o.executionSegment ? String(o.executionSegment) : null,
      sequence: o && o.executionSegmentSequence ? String(o.executionSegmentSequence) : null,
    });
  };

  return { options, setup, teardown, handleSummary };
}

// No object spread below: es2017 output would carry esbuild's spread helpers.

export function suite(profile: string): Suite {
  const z = zero(profile, false);
  return { options: z.options, setup: z.setup, handleSummary: z.handleSummary, query: otherHalf, id: otherHalf, ref: otherHalf };
}

export function writesSuite(profile: string): WritesSuite {
  const z = zero(profile, true);
  return {
    options: z.options, setup: z.setup, teardown: z.teardown, handleSummary: z.handleSummary,
    query: otherHalf, id: otherHalf, ref: otherHalf,
    post_businesses: otherHalf, post_parties: otherHalf, patch_parties: otherHalf, put_link: otherHalf,
  };
}
