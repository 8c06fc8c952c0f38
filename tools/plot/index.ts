// Programmatic entry: read raw k6 outputs, write the HTML page, report counts.
// `npm start` calls plot() after k6; `npm run plot` goes through cli.ts.

import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { ResponseClass } from '../../lib/classify.ts';
import { DEFAULT_MARKS } from './decimate.ts';
import type { MarkOptions } from './decimate.ts';
import { PlotError } from './errors.ts';
import { renderPage } from './html.ts';
import { readOptions } from './gates.ts';
import { DatasetBuilder } from './model.ts';
import type { Dataset } from './model.ts';
import { readRaw } from './read.ts';
import type { ReadResult } from './request.ts';
import { readGraph } from './words.ts';
import type { Reading } from './words.ts';

export { PlotError } from './errors.ts';
export { readingHtml, readingMarkdown } from './words.ts';
export type { Reading } from './words.ts';

export interface PlotOptions {
  /** HTML path; default `<first input>.plot.html`. */
  out?: string;
  /** Linear response-time axis instead of log. */
  linear?: boolean;
  /** Decimation thresholds (tests and the bench tune these). */
  marks?: Partial<MarkOptions>;
  /** The graph is read against these; default: summary.json beside the first input, else 1000 ms. */
  sloMs?: number;
  /** Default: summary.json's gates.successRate, else 0.99. */
  successRate?: number;
  /** k6 profile (`spike` explains a recovery); default: summary.json's. */
  profile?: string;
}

export interface PlotResult {
  htmlPath: string;
  requests: number;
  byClass: Record<ResponseClass, number>;
  /** e.g. whole-second timestamps. */
  warnings: string[];
  timings: { readMs: number; renderMs: number };
  htmlBytes: number;
  /** The graph in words: onset, plateau, recovery (tools/plot/words.ts). */
  reading: Reading;
}

export interface LoadResult {
  ds: Dataset;
  reads: ReadResult[];
  warnings: string[];
}

/** Reads every input into one dataset; time into the test counts from the earliest request of all. */
export async function load(inputs: string[]): Promise<LoadResult> {
  if (inputs.length === 0) throw new PlotError('no input: give one or more k6 raw output files (--out csv or --out json)', 2);
  const builder = new DatasetBuilder();
  const reads: ReadResult[] = [];
  const warnings: string[] = [];
  for (const path of inputs) {
    const r = await readRaw(path, builder.add);
    if (r.requests === 0) {
      throw new PlotError(
        `${path}: no http_req_duration points in ${r.bytes.toLocaleString('en-GB')} bytes of k6 ${r.format === 'csv' ? 'CSV' : 'JSON'}; ` +
          'expected the raw output of a k6 run that made HTTP requests',
      );
    }
    reads.push(r);
    warnings.push(...r.warnings);
  }
  const ds = builder.build();
  if (ds.n === 0) {
    throw new PlotError(`${inputs.join(', ')}: only setup and teardown requests (${builder.skipped}), no planned load to plot`);
  }
  return { ds, reads, warnings };
}

export async function plot(inputs: string[], options: PlotOptions = {}): Promise<PlotResult> {
  const t0 = performance.now();
  const { ds, reads, warnings } = await load(inputs);
  const t1 = performance.now();
  const reading = readGraph(ds, await readOptions(inputs[0]!, options));
  const html = renderPage({
    ds,
    inputs,
    sources: reads.map((r, k) => `${basename(inputs[k]!)} (k6 ${r.format === 'csv' ? 'CSV' : 'JSON'}${r.gzip ? ', gzip' : ''}, ${RES_LABEL[r.resolution]} timestamps)`),
    warnings,
    resolution: reads.some((r) => r.resolution === 's') ? 1 : 0.001,
    yLog: !options.linear,
    marks: { ...DEFAULT_MARKS, ...options.marks },
    reading,
  });
  const htmlPath = options.out ?? `${inputs[0]}.plot.html`;
  await mkdir(dirname(htmlPath), { recursive: true });
  await writeFile(htmlPath, html);
  const t2 = performance.now();
  return {
    htmlPath,
    requests: ds.n,
    byClass: ds.byClass,
    warnings,
    timings: { readMs: t1 - t0, renderMs: t2 - t1 },
    htmlBytes: Buffer.byteLength(html),
    reading,
  };
}

const RES_LABEL = { s: 'whole-second', ms: 'millisecond', us: 'microsecond', ns: 'nanosecond' } as const;
