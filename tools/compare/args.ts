// Command line -> options. Pure; bad flags are a CompareError (exit 2).
import { answersNeeded, DEFAULT_TOLERANCE, type Tolerance } from './diff.ts';
import { CompareError } from './errors.ts';
import { EXIT_HELP } from './gate.ts';
import { RULE_HELP } from './rules.ts';

export interface Options {
  files: string[];
  rules: string[];
  /** undefined: next to the last input; null: --no-html. */
  html: string | null | undefined;
  tolerance: Tolerance;
  help: boolean;
}

export const USAGE = `usage: npm run compare -- <baseline summary.json> <summary.json> [more...] [options]

Compares k6 runs side by side (the first file is the baseline): success %
per offset, per request count and per route, no-response causes, and
median / p95 / max of successful answers, with the difference to the baseline.
Each run's verdict (can its figures be trusted?) comes first, with a note
beside the differences when a run's load generator fell behind or its
machine was saturated. Markdown goes to stdout; an HTML page is written too.

options:
  --html <path>               where to write the HTML page (default: compare.html next to the last input)
  --no-html                   do not write the HTML page
  --fail-on <rule>            exit 1 when any run breaks the rule vs the baseline (repeatable); exit 3
                              instead when that run or the baseline is not trustworthy (its verdict:
                              the load generator fell behind, or the machine was saturated)
  --tolerance <points>        success / no-response changes treated as noise (default ${DEFAULT_TOLERANCE.pp})
  --latency-tolerance <pct>   latency changes treated as noise, % (default ${DEFAULT_TOLERANCE.pct})
  --latency-floor <ms>        latency changes of at most this many ms are noise, whatever the % (default ${DEFAULT_TOLERANCE.ms})
  --min-tail <n>              judge a percentile only when each run has n answers above it
                              (default ${DEFAULT_TOLERANCE.tail}: p95 needs ${answersNeeded('p95', DEFAULT_TOLERANCE.tail)} answers, the median ${answersNeeded('median', DEFAULT_TOLERANCE.tail)})
  -h, --help                  this text

rules (N a number):
${RULE_HELP}

${EXIT_HELP}`;

function nonNegative(flag: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !isFinite(n) || n < 0) throw new CompareError(`${flag} needs a number >= 0, got '${v}'`);
  return n;
}

export function parseArgs(argv: string[]): Options {
  const o: Options = { files: [], rules: [], html: undefined, tolerance: { ...DEFAULT_TOLERANCE }, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const takes = ['--html', '--fail-on', '--tolerance', '--latency-tolerance', '--latency-floor', '--min-tail'].includes(flag);
    let v = '';
    if (takes) {
      if (eq > 0) v = a.slice(eq + 1);
      else if (i + 1 < argv.length) v = argv[++i]!;
      else throw new CompareError(`${flag} needs a value`);
    }
    switch (flag) {
      case '-h': case '--help': o.help = true; break;
      case '--html': o.html = v; break;
      case '--no-html': o.html = null; break;
      case '--fail-on': o.rules.push(v); break;
      case '--tolerance': o.tolerance.pp = nonNegative(flag, v); break;
      case '--latency-tolerance': o.tolerance.pct = nonNegative(flag, v); break;
      case '--latency-floor': o.tolerance.ms = nonNegative(flag, v); break;
      case '--min-tail': o.tolerance.tail = nonNegative(flag, v); break;
      default:
        if (a.startsWith('-') && a !== '-') throw new CompareError(`unknown option ${a} (see --help)`);
        o.files.push(a);
    }
  }
  return o;
}
