// The merge command as a function of argv (cli.ts only wires process): read
// and check the instances' summaries, stream their raw outputs when given,
// merge, and write every format with the suite's own renderers.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSummary } from '../compare/load.ts';
import { renderCsv } from '../../lib/summary/csv.ts';
import { xml } from '../../lib/summary/escape.ts';
import { stamp } from '../../lib/summary/format.ts';
import { renderHtml } from '../../lib/summary/html.ts';
import { renderJunit } from '../../lib/summary/junit.ts';
import { renderMarkdown } from '../../lib/summary/markdown.ts';
import type { SummaryModel } from '../../lib/summary/model.ts';
import { FILES, safeLabel } from '../../lib/summary/paths.ts';
import { buildTables } from '../../lib/summary/tables.ts';
import { renderText } from '../../lib/summary/text.ts';
import { parseArgs, USAGE } from './args.ts';
import { mergeSummaries, type Instance } from './combine.ts';
import { MergeError } from './errors.ts';
import { readRawSamples } from './raw.ts';

export interface Io { out: (s: string) => void; err: (s: string) => void }

const RAW_NAME = /(^|\.)raw\.(csv|json)(\.gz)?$/;

export async function run(argv: string[], io: Io, now = Date.now()): Promise<number> {
  try {
    return await main(argv, io, now);
  } catch (e) {
    if (!(e instanceof MergeError) && !(e instanceof Error && e.name === 'CompareError')) throw e;
    io.err(`merge: ${e.message}\n`);
    return 2;
  }
}

/** A results folder: its summary.json, or the instances' `segment-*.summary.json` that share it. */
function summariesIn(dir: string): string[] {
  const one = join(dir, FILES.summary);
  if (existsSync(one)) return [one];
  const many = readdirSync(dir).filter((f) => f.endsWith(`.${FILES.summary}`)).sort().map((f) => join(dir, f));
  if (many.length === 0) throw new MergeError(`${dir}: no ${FILES.summary} (or *.${FILES.summary}) in this folder: is it the results folder (SUMMARY_DIR) of an instance?`);
  return many;
}

/** Raw outputs a folder holds: tools/run.ts writes raw.csv.gz; instances sharing a folder, *.raw.csv.gz and the like. */
function rawIn(dir: string): string[] {
  return readdirSync(dir).filter((f) => RAW_NAME.test(f)).sort().map((f) => join(dir, f));
}

function readSummary(file: string): Instance {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MergeError(code === 'ENOENT' ? `${file}: file not found` : `${file}: cannot read (${code ?? (e as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new MergeError(`${file}: not JSON (${(e as Error).message})`);
  }
  return { file, model: checkSummary(doc, file) };
}

async function main(argv: string[], io: Io, now: number): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  if (args.inputs.length === 0) throw new MergeError(`name the instances' results folders or summary.json files\n\n${USAGE}`);
  const instances: Instance[] = [];
  const found: string[] = [];
  let foldersWithoutRaw = 0;
  for (const input of args.inputs) {
    const isDir = existsSync(input) && statSync(input).isDirectory();
    const files = isDir ? summariesIn(input) : [input];
    instances.push(...files.map(readSummary));
    if (isDir) {
      const raw = rawIn(input);
      found.push(...raw);
      if (raw.length === 0) foldersWithoutRaw++;
    } else foldersWithoutRaw++;
  }
  let rawFiles = args.raw;
  if (!args.noRaw && rawFiles.length === 0 && found.length > 0) {
    // All or nothing: some instances' samples alone would skew the percentiles.
    if (foldersWithoutRaw === 0) rawFiles = found;
    else io.err('merge: raw output found for some inputs only; latency will be approximate (pass --raw with every instance\'s raw output for exact percentiles)\n');
  }
  for (const f of rawFiles) if (!existsSync(f)) throw new MergeError(`${f}: raw output not found`);

  const names = new Set(instances[0]!.model.scenarios.map((s) => s.name));
  const raw = rawFiles.length ? await readRawSamples(rawFiles, names) : null;
  const model = mergeSummaries(instances, raw ? raw.byScenario : null);
  if (raw) for (const w of raw.warnings) model.warnings.push(w);

  const dir = args.out ?? join('summaries', `${safeLabel(model.label)}-merged-${stamp(now)}`);
  mkdirSync(dir, { recursive: true });
  const written = writeAll(dir, model);
  const tables = buildTables(model);
  io.out(renderText(model, tables, { color: false, written, failures: [] }));
  return 0;
}

/** Every format, with the latency method in each one that carries latency. */
export function writeAll(dir: string, model: SummaryModel): string[] {
  const tables = buildTables(model);
  const files: Array<[string, string]> = [
    [FILES.summary, JSON.stringify(model, null, 2) + '\n'],
    [FILES.markdown, renderMarkdown(model, tables)],
    [FILES.html, renderHtml(model, tables)],
    [FILES.csv, renderCsv(model)],
    [FILES.junit, junitWithMethod(renderJunit(model, tables), model)],
  ];
  return files.map(([name, text]) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  });
}

/** junit.xml lists gates and their observed values: say how merged latency was obtained. */
function junitWithMethod(text: string, model: SummaryModel): string {
  if (!model.merged) return text;
  const line = `\nmerged from ${model.merged.instances.length} instances; latency ${model.merged.latencyMethod}`;
  return text.replace('</system-out>', `${xml(line)}</system-out>`);
}
