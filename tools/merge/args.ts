// npm run merge -- <results folder | summary.json>... [--raw FILE...] [--no-raw] [--out DIR]
import { MergeError } from './errors.ts';

export const USAGE = `usage: npm run merge -- <results folder or summary.json>... [--raw raw.csv.gz...] [--no-raw] [--out DIR]

Merges the summaries of the instances of one distributed run (one per k6
--execution-segment) into one summary.json, report.md, report.html,
tables.csv and junit.xml. Counts add exactly. With every instance's raw
output (--raw; found by itself in a results folder as raw.csv.gz, raw.csv,
raw.json or raw.json.gz) latency percentiles are exact; without, they are
approximate and marked so. --out defaults to summaries/<label>-merged-<time>/.`;

export interface MergeArgs {
  inputs: string[];
  raw: string[];
  /** Do not pick raw outputs up from results folders. */
  noRaw: boolean;
  out: string | null;
  help: boolean;
}

export function parseArgs(argv: string[]): MergeArgs {
  const a: MergeArgs = { inputs: [], raw: [], noRaw: false, out: null, help: false };
  let inRaw = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') a.help = true;
    else if (arg === '--no-raw') {
      a.noRaw = true;
      inRaw = false;
    } else if (arg === '--raw' || arg.startsWith('--raw=')) {
      inRaw = true;
      if (arg.startsWith('--raw=')) a.raw.push(arg.slice(6));
    } else if (arg === '--out' || arg.startsWith('--out=')) {
      const v = arg.startsWith('--out=') ? arg.slice(6) : argv[++i];
      if (!v) throw new MergeError(`--out needs a folder\n\n${USAGE}`);
      a.out = v;
      inRaw = false;
    } else if (arg.startsWith('--')) throw new MergeError(`unknown option ${arg}\n\n${USAGE}`);
    else if (inRaw) a.raw.push(arg);
    else a.inputs.push(arg);
  }
  if (a.noRaw && a.raw.length) throw new MergeError('--raw and --no-raw together: pick one');
  return a;
}
