// `npm run plot -- <raw output> [more] [--out page.html] [--linear] [--slo MS]`
// Exit codes: 0 written, 1 an input could not be plotted, 2 bad command line.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLASSES } from '../../lib/classify.ts';
import { PlotError } from './errors.ts';
import { plot } from './index.ts';
import type { PlotOptions } from './index.ts';
import { classLabel } from './theme.ts';

export { plot, readingHtml, readingMarkdown } from './index.ts';

const USAGE = `usage: npm run plot -- <raw output> [more raw outputs] [--out page.html] [--linear] [--slo MS]

  <raw output>   k6 --out csv (best with K6_CSV_TIME_FORMAT=unix_milli) or --out json file, plain or gzip
  --out, -o      where to write the page (default: <first input>.plot.html)
  --linear       linear response-time axis (default: log)
  --slo MS       read the graph against this p95 in ms (default: gates.p95Ms of the summary.json beside
                 the first input, else 1000; the success rate and profile come from it too, else 99 %)
  --help, -h     this text

Prints the graph in words (onset of degradation, plateau, recovery) and writes it above the charts.`;

export interface Args {
  inputs: string[];
  options: PlotOptions;
  help: boolean;
}

export function parseArgs(argv: string[]): Args {
  const inputs: string[] = [];
  const options: PlotOptions = {};
  let help = false;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--help' || a === '-h') help = true;
    else if (a === '--linear') options.linear = true;
    else if (a === '--out' || a === '-o') {
      const v = argv[++k];
      if (!v) throw new PlotError(`${a} needs a path\n${USAGE}`, 2);
      options.out = v;
    } else if (a.startsWith('--out=')) options.out = a.slice('--out='.length);
    else if (a === '--slo' || a.startsWith('--slo=')) {
      const v = a === '--slo' ? argv[++k] : a.slice('--slo='.length);
      const ms = Number(v);
      if (!v || !Number.isFinite(ms) || ms <= 0) throw new PlotError(`--slo needs a positive number of milliseconds, got '${v ?? ''}'\n${USAGE}`, 2);
      options.sloMs = ms;
    }
    else if (a === '--') continue;
    else if (a.startsWith('-') && a !== '-') throw new PlotError(`unknown option ${a}\n${USAGE}`, 2);
    else inputs.push(a);
  }
  if (!help && inputs.length === 0) throw new PlotError(`no input file\n${USAGE}`, 2);
  return { inputs, options, help };
}

export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    const r = await plot(args.inputs, args.options);
    for (const w of r.warnings) console.warn(`plot: warning: ${w}`);
    const mix = CLASSES.filter((c) => r.byClass[c] > 0)
      .map((c) => `${classLabel(c)} ${r.byClass[c]}`)
      .join(', ');
    console.log(`plot: wrote ${r.htmlPath}: ${r.requests} requests (${mix}) in ${Math.round(r.timings.readMs + r.timings.renderMs)} ms`);
    console.log(`plot: ${r.reading.line}`);
    return 0;
  } catch (e) {
    if (e instanceof PlotError) {
      console.error(`plot: ${e.message}`);
      return e.exitCode;
    }
    console.error('plot: unexpected failure:', e);
    return 1;
  }
}

function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  process.exitCode = await main(process.argv.slice(2));
}
