// The generated samples in README.md and docs/*.md: what the code prints
// for recorded k6 runs, put between `<!-- sample: NAME -->` and
// `<!-- /sample -->` by `npm run docs`, and compared with the code's output
// by test/docs.test.ts.
import { handleSummary } from '../../lib/summary/entry.ts';
import type { SummaryModel } from '../../lib/summary/model.ts';
import { buildTables } from '../../lib/summary/tables.ts';
import { renderText } from '../../lib/summary/text.ts';
import { verdictLine } from '../../lib/summary/verdict.ts';
import { compare } from '../compare/diff.ts';
import { renderMarkdown } from '../compare/markdown.ts';
import { compareRuns, LAG_FIXTURES, LAG_NOW, modelOf, readJson, SUITE_ENV, SUITE_FIXTURE, SUITE_NOW, SUITE_SEED } from './fixtures.ts';
import { ROOT } from './images.ts';
import { SampleError, sampleBlocks, sampleBody, splitLines } from './markdown.ts';

export { SampleError };

export const SAMPLE_NAMES = ['terminal-report', 'terminal-report-short', 'verdict-trustworthy', 'verdict-generator-behind', 'compare-markdown'] as const;
export type SampleName = (typeof SAMPLE_NAMES)[number];
export type Samples = Record<string, string>;

/** Without the blank lines a renderer puts around its output. */
const trimBlank = (s: string): string => s.replace(/^(\s*\n)+/, '').replace(/\s+$/, '');

/** The terminal tables of the suite's k6 v0.49.0 run, as `k6 run dist/report.js` printed them (no colour). */
export function terminalReport(root = ROOT): string {
  const out = handleSummary(readJson(root, SUITE_FIXTURE) as object, { env: SUITE_ENV, profile: 'report', seed: SUITE_SEED, now: SUITE_NOW });
  const summary = Object.keys(out).find((k) => k.endsWith('summary.json'));
  if (!summary) throw new Error(`${SUITE_FIXTURE}: handleSummary wrote no summary.json`);
  const model = JSON.parse(out[summary]!) as SummaryModel;
  if (!('scenarios' in model)) throw new Error(`${SUITE_FIXTURE}: handleSummary could not build the model: ${(model as { error?: string }).error}`);
  const written = Object.keys(out).filter((k) => k !== 'stdout');
  return renderText(model, buildTables(model), { color: false, written, failures: [] });
}

function verdictOf(root: string, which: keyof typeof LAG_FIXTURES, status: string): string {
  const f = LAG_FIXTURES[which];
  const v = modelOf(root, f.file, f.env, LAG_NOW).verdict;
  if (!v || v.status !== status) throw new Error(`${f.file}: the verdict is ${v?.status ?? 'missing'}, not ${status}`);
  return verdictLine(v);
}

/** `npm run compare -- <the report's three result sets>`: its Markdown, in-process. */
export function compareMarkdown(root = ROOT): string {
  return renderMarkdown(compare(compareRuns(root)), []);
}

/** The README's taste of the terminal: the run line, the verdict and the tables up to Overall. */
export function shortReport(full: string): string {
  const lines = full.split('\n');
  const end = lines.findIndex((l) => l.startsWith('Per-route'));
  if (end < 0) throw new Error('terminal-report has no Per-route table to stop before');
  return lines.slice(0, end).join('\n') + '\n...';
}

/** Every sample, by name: the same files give the same text (no clock, no path of this machine). */
export function generateSamples(root = ROOT): Record<SampleName, string> {
  return {
    'terminal-report': trimBlank(terminalReport(root)),
    'terminal-report-short': trimBlank(shortReport(trimBlank(terminalReport(root)))),
    'verdict-trustworthy': trimBlank(verdictOf(root, 'healthy', 'trustworthy')),
    'verdict-generator-behind': trimBlank(verdictOf(root, 'starved', 'generator-behind')),
    'compare-markdown': trimBlank(compareMarkdown(root)),
  };
}

/**
 * `markdown` with every sample block's body replaced by the sample's text in
 * a `text` fence. An unknown NAME, or a marker without its pair, throws
 * (a SampleError with the line).
 */
export function fillSamples(markdown: string, samples: Samples): string {
  const lines = splitLines(markdown);
  const blocks = sampleBlocks(markdown);
  for (const b of [...blocks].reverse()) {
    const text = samples[b.name];
    if (text === undefined) throw new SampleError(b.start, `unknown sample "${b.name}" (known: ${Object.keys(samples).join(', ')})`);
    lines.splice(b.start, b.end - b.start - 1, ...sampleBody(text));
  }
  return lines.join('\n');
}
