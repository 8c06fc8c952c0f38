// Streams the instances' raw k6 outputs (--out csv or json, plain or gzip;
// the plot tool's readers) and keeps, per scenario, the durations k6 times as
// expected responses: the samples behind the summary's latency figures.
import { readRaw } from '../plot/read.ts';
import { MergeError } from './errors.ts';
import { Samples } from './latency.ts';

/** k6's default expected statuses (the suite sets no responseCallback): 200..399. */
const expected = (status: number): boolean => status >= 200 && status <= 399;

export interface RawSamples {
  /** Scenario name -> durations of its expected-status answers, all files together. */
  byScenario: Map<string, Samples>;
  /** Per file: how many planned-scenario requests it held. */
  files: Array<{ file: string; requests: number }>;
  warnings: string[];
}

export async function readRawSamples(files: string[], scenarios: Set<string>): Promise<RawSamples> {
  const byScenario = new Map<string, Samples>();
  for (const s of scenarios) byScenario.set(s, new Samples());
  const out: RawSamples = { byScenario, files: [], warnings: [] };
  for (const file of files) {
    let requests = 0;
    try {
      const r = await readRaw(file, (req) => {
        const bucket = byScenario.get(req.scenario);
        if (!bucket) return; // setup's preflight, teardown
        requests++;
        if (expected(req.status)) bucket.push(req.durationMs);
      });
      out.warnings.push(...r.warnings.filter((w) => !w.includes('timestamps are whole seconds')));
    } catch (e) {
      throw new MergeError(`${file}: cannot read it as k6 raw output (${(e as Error).message}); pass the file k6 wrote with --out csv=... or --out json=...`);
    }
    if (requests === 0) throw new MergeError(`${file}: no requests of this run's scenarios: is it the raw output of another run?`);
    out.files.push({ file, requests });
  }
  return out;
}
