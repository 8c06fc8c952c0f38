// `npm run capacity` flags -> validated options, or every problem with its fix.
import { parseArgs } from 'node:util';
import { READ_ROUTES } from '../../lib/routes.ts';
import { DEFAULT_RETRIES } from '../../lib/capacity/rules.ts';
import { isPresetName, PRESETS } from '../party-service/presets.ts';
import type { SearchSettings } from './model.ts';

export interface CapacityArgs extends SearchSettings {
  /** One search per entry: a read route key alone, or all read routes side by side. */
  searches: Array<{ name: string; routes: string[] }>;
  label: string;
  out: string | null;
  preset: string;
  count: number;
  help: boolean;
}

export const USAGE = `Usage: npm run capacity -- [flags]

The highest arrival rate (requests/s) each route sustains: ramp up x2 until a
probe fails, then bisect. Each probe is a k6 run of dist/capacity.js.

  --routes LIST        read routes searched one at a time (id, query, ref), or
                       all (the three side by side, each at the rate) (default id)
  --gate PCT           success % a probe needs (default 99)
  --p95 MS             p95 of successful answers a probe may reach (default 1000)
  --precision X        stop when upper / lower <= 1 + X (default 0.05)
  --step-seconds S     length of each probe (default 10)
  --start-rate N       first rate probed, requests/s per route (default 10)
  --max-rate N         never probe above this (default 2000)
  --pause-seconds S    pause between probes so the target recovers (default 3)
  --retries N          runs of a rate beyond the first while its run is not
                       trustworthy (the load generator fell behind, or the
                       machine was saturated); such runs never count for or
                       against the rate, and when none is trustworthy the
                       search stops, limited by the load generator (default 2)
  --label L            names the results folder (default capacity)
  --out DIR            results folder (default summaries/capacity-<label>-<time>/)
  --preset NAME        reference target preset when BASE_URL is unset (default baseline)
  --count N            businesses seeded into the reference target (default 10000)
  -h, --help
Env: BASE_URL (a running party service; unset: the reference target is started
and seeded), PARTY_USER / PARTY_PASSWORD, DATA_FILE, ALLOW_HOSTS, K6_BIN.`;

export class ArgsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ArgsError';
  }
}

const READS = READ_ROUTES.map((r) => r.key);
/** More retries than this only repeat what a busy machine already said. */
export const MAX_RETRIES = 5;

/** A number flag within [min, max]; pushes the problem and its fix otherwise. */
function num(problems: string[], flag: string, raw: string, min: number, max: number, integer = false): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    problems.push(`--${flag} ${JSON.stringify(raw)}: use ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
    return min;
  }
  return n;
}

export function parseCapacityArgs(argv: string[]): CapacityArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        routes: { type: 'string', default: 'id' },
        gate: { type: 'string', default: '99' },
        p95: { type: 'string', default: '1000' },
        precision: { type: 'string', default: '0.05' },
        'step-seconds': { type: 'string', default: '10' },
        'start-rate': { type: 'string', default: '10' },
        'max-rate': { type: 'string', default: '2000' },
        'pause-seconds': { type: 'string', default: '3' },
        retries: { type: 'string', default: String(DEFAULT_RETRIES) },
        label: { type: 'string', default: 'capacity' },
        out: { type: 'string' },
        preset: { type: 'string', default: 'baseline' },
        count: { type: 'string', default: '10000' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new ArgsError([`${(err as Error).message}: see the flags below`]);
  }
  const problems: string[] = [];
  const searches: CapacityArgs['searches'] = [];
  for (const r of values.routes.split(',').map((x) => x.trim()).filter(Boolean)) {
    if (r === 'all') searches.push({ name: 'all', routes: [...READS] });
    else if (READS.includes(r)) searches.push({ name: r, routes: [r] });
    else problems.push(`--routes: unknown route ${JSON.stringify(r)}: use any of ${READS.join(', ')}, or all`);
  }
  if (searches.length === 0 && problems.length === 0) problems.push(`--routes is empty: use any of ${READS.join(', ')}, or all`);
  if (new Set(searches.map((s) => s.name)).size !== searches.length) problems.push('--routes names a route twice: list each once');
  const gate = num(problems, 'gate', values.gate, 0, 100) / 100;
  const p95Ms = num(problems, 'p95', values.p95, 1, 600_000);
  const precision = num(problems, 'precision', values.precision, 0.001, 1);
  // k6 rejects scenarios under 1 s, and a step lasts step - offset / 2 (lib/plan.ts): 2 s covers 1 req/s.
  const stepSeconds = num(problems, 'step-seconds', values['step-seconds'], 2, 3600);
  const startRate = num(problems, 'start-rate', values['start-rate'], 1, 100_000, true);
  const maxRate = num(problems, 'max-rate', values['max-rate'], 1, 100_000, true);
  if (startRate > maxRate) problems.push(`--start-rate ${startRate} is above --max-rate ${maxRate}: lower it or raise --max-rate`);
  const pauseSeconds = num(problems, 'pause-seconds', values['pause-seconds'], 0, 600);
  const retries = num(problems, 'retries', values.retries, 0, MAX_RETRIES, true);
  const count = num(problems, 'count', values.count, 1, 1_000_000, true);
  if (!isPresetName(values.preset)) problems.push(`--preset ${JSON.stringify(values.preset)}: use one of ${Object.keys(PRESETS).join(', ')}`);
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(values.label)) problems.push(`--label ${JSON.stringify(values.label)}: use 1 to 64 letters, digits, '.', '_' or '-'`);
  if (problems.length) throw new ArgsError(problems);
  return {
    searches, gate, p95Ms, precision, stepSeconds, startRate, maxRate, pauseSeconds, retries,
    label: values.label, out: values.out ?? null, preset: values.preset, count, help: values.help,
  };
}
