// `npm run seed -- --count 10000`: creates businesses through the party API
// the way the real service expects (POST /businesses each, then one link
// PUT) and records `id,sampleUnitRef` in data/businesses.csv.

import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import Papa from 'papaparse';
import { maskCredentials } from '../lib/summary/redact.ts';

export interface SeedOptions {
  /** Target root, e.g. http://127.0.0.1:8081 (credentials in it are used, never written). */
  baseUrl: string;
  user?: string;
  password?: string;
  /** Businesses to create (default 10000). */
  count?: number;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** CSV path (default data/businesses.csv); the meta file sits beside it as <name>.meta.json. */
  out?: string;
  sampleSummaryId?: string;
  collectionExerciseId?: string;
  /** 'bar' (cli-progress), 'lines' (plain lines), 'none'; default: bar on a TTY, else lines. */
  progress?: 'bar' | 'lines' | 'none';
  /** Hostnames allowed besides loopback (default env ALLOW_HOSTS). */
  allowHosts?: string[];
}

export interface SeedMeta {
  target: string;
  sampleSummaryId: string;
  collectionExerciseId: string;
  count: number;
  createdAt: string;
}

export interface SeedResult extends SeedMeta {
  csvPath: string;
  metaPath: string;
  elapsedMs: number;
}

export class SeedError extends Error {}

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_CSV = path.join(REPO, 'data', 'businesses.csv');
const MAX_COUNT = 99_999_999;

/** data/businesses.csv -> data/businesses.meta.json */
export function metaPathFor(csvPath: string): string {
  return csvPath.replace(/(\.csv)?$/i, '.meta.json');
}

/** The target as recorded in meta files: no credentials, no trailing slash. */
export function publicTarget(baseUrl: string): string {
  const u = new URL(baseUrl);
  u.username = '';
  u.password = '';
  return u.toString().replace(/\/+$/, '');
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Refuses non-loopback targets unless ALLOW_HOSTS names them. */
export function checkHost(baseUrl: string, allowHosts: string[]): void {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new SeedError(`BASE_URL '${maskCredentials(baseUrl)}' is not a URL (expected e.g. http://127.0.0.1:8081)`);
  }
  const host = u.hostname.toLowerCase();
  if (LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host)) return;
  if (allowHosts.map((h) => h.trim().toLowerCase()).includes(host)) return;
  throw new SeedError(
    `refusing to seed ${host}: it is not a loopback address, and seeding writes ${'businesses'} into the target's database. ` +
      `If you mean it, name the host in the ALLOW_HOSTS environment variable (comma-separated), e.g. ALLOW_HOSTS=${host} npm run seed`,
  );
}

/** 499 + zero-padded index: 49900000001, 49900000002, ... */
export function refFor(i: number): string {
  return '499' + String(i).padStart(8, '0');
}

/** A POST /businesses body shaped like test/fixtures/party-api/post-business.json. */
export function businessBody(i: number, sampleSummaryId: string): Record<string, unknown> {
  const ref = refFor(i);
  return {
    sampleUnitRef: ref,
    sampleUnitType: 'B',
    sampleSummaryId,
    ruref: ref,
    checkletter: 'ABCDEFGHJK'[i % 10],
    birthdate: `01/${String((i % 12) + 1).padStart(2, '0')}/1993`,
    currency: 'S',
    entname1: `ENTERPRISE ${i}`,
    entname2: '',
    entname3: '',
    entref: '99' + String(i).padStart(8, '0'),
    entremkr: 'E',
    formType: '0001',
    formtype: '0001',
    froempment: i % 250,
    frosic2007: '45320',
    frosic92: '50300',
    frotover: (i * 37) % 10000,
    inclexcl: 'D',
    legalstatus: '2',
    region: 'BA',
    runame1: `LOADTEST BUSINESS ${i}`,
    runame2: 'TRADING',
    runame3: 'LIMITED',
    rusic2007: '45320',
    rusic92: '50300',
    seltype: 'P',
    tradstyle1: `LT${i} STORES`,
    tradstyle2: '',
    tradstyle3: '',
    cell_no: (i % 9) + 1,
  };
}

interface Progress {
  tick(done: number): void;
  stop(): void;
}

function makeProgress(kind: 'bar' | 'lines' | 'none', total: number): Progress {
  if (kind === 'none') return { tick() {}, stop() {} };
  if (kind === 'bar') {
    const bar = new cliProgress.SingleBar({ format: 'seeding [{bar}] {value}/{total} {percentage}% | {eta_formatted} left', stream: process.stderr }, cliProgress.Presets.shades_classic);
    bar.start(total, 0);
    return { tick: (d) => bar.update(d), stop: () => bar.stop() };
  }
  const step = Math.max(1, Math.ceil(total / 10));
  return {
    tick: (d) => {
      if (d % step === 0 || d === total) console.error(`seeding: ${d}/${total}`);
    },
    stop() {},
  };
}

export async function seed(opts: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const count = opts.count ?? 10_000;
  const concurrency = opts.concurrency ?? 8;
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new SeedError(`count must be an integer 1..${MAX_COUNT}, got ${count}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new SeedError(`concurrency must be an integer >= 1, got ${concurrency}`);
  checkHost(opts.baseUrl, opts.allowHosts ?? (process.env.ALLOW_HOSTS ?? '').split(',').filter(Boolean));

  const u = new URL(opts.baseUrl);
  const user = opts.user ?? (u.username ? decodeURIComponent(u.username) : 'admin');
  const password = opts.password ?? (u.password ? decodeURIComponent(u.password) : 'secret');
  const target = publicTarget(opts.baseUrl);
  const api = target + '/party-api/v1';
  const headers = {
    Authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64'),
    'Content-Type': 'application/json',
  };
  const sampleSummaryId = opts.sampleSummaryId ?? randomUUID();
  const collectionExerciseId = opts.collectionExerciseId ?? randomUUID();

  const request = async (method: string, url: string, body: unknown): Promise<Record<string, unknown>> => {
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: JSON.stringify(body) });
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
      throw new SeedError(`${method} ${url} failed: ${cause}`);
    }
    const text = await res.text();
    if (res.status !== 200) throw new SeedError(`${method} ${url} answered ${res.status}: ${text.trim().slice(0, 500)}`);
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new SeedError(`${method} ${url} answered 200 with a body that is not JSON: ${text.slice(0, 200)}`);
    }
  };

  const rows: { id: string; sampleUnitRef: string }[] = new Array(count);
  const progress = makeProgress(opts.progress ?? (process.stderr.isTTY ? 'bar' : 'lines'), count);
  let next = 1;
  let done = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next <= count) {
      const i = next++;
      try {
        const party = await request('POST', `${api}/businesses`, businessBody(i, sampleSummaryId));
        if (typeof party.id !== 'string') throw new SeedError(`POST /businesses for ${refFor(i)} answered without an id: ${JSON.stringify(party).slice(0, 200)}`);
        rows[i - 1] = { id: party.id, sampleUnitRef: refFor(i) };
        progress.tick(++done);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  } finally {
    progress.stop();
  }
  if (failed !== undefined) throw failed;

  // A business is readable only once its sample is linked to a collection exercise.
  await request('PUT', `${api}/businesses/sample/link/${sampleSummaryId}`, { collectionExerciseId });

  const csvPath = path.resolve(opts.out ?? DEFAULT_CSV);
  const metaPath = metaPathFor(csvPath);
  const meta: SeedMeta = { target, sampleSummaryId, collectionExerciseId, count, createdAt: new Date().toISOString() };
  await mkdir(path.dirname(csvPath), { recursive: true });
  await writeFile(csvPath, Papa.unparse(rows, { columns: ['id', 'sampleUnitRef'], newline: '\n' }) + '\n');
  await writeFile(metaPath, JSON.stringify(meta, null, 2) + '\n');
  return { ...meta, csvPath, metaPath, elapsedMs: Date.now() - started };
}

const USAGE = `Usage: npm run seed -- [--count N] [--concurrency N] [--base-url URL] [--out FILE]

  --count N        businesses to create (default 10000)
  --concurrency N  requests in flight (default 8)
  --base-url URL   target root (env BASE_URL; default http://127.0.0.1:8081)
  --out FILE       CSV to write (default data/businesses.csv; meta beside it as .meta.json)
  --progress KIND  bar | lines | none (default: bar on a terminal, else lines)
Credentials: env PARTY_USER / PARTY_PASSWORD (default admin / secret).
Non-loopback targets need their hostname in env ALLOW_HOSTS.`;

function intFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new SeedError(`--${name} expects an integer, got '${v}'`);
  return n;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        count: { type: 'string' },
        concurrency: { type: 'string' },
        'base-url': { type: 'string' },
        out: { type: 'string' },
        progress: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`seed: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    const progress = values.progress;
    if (progress !== undefined && progress !== 'bar' && progress !== 'lines' && progress !== 'none') throw new SeedError(`--progress expects bar, lines or none`);
    const r = await seed({
      baseUrl: values['base-url'] ?? (process.env.BASE_URL || 'http://127.0.0.1:8081'),
      user: process.env.PARTY_USER || undefined,
      password: process.env.PARTY_PASSWORD || undefined,
      count: intFlag('count', values.count),
      concurrency: intFlag('concurrency', values.concurrency),
      out: values.out,
      progress,
    });
    const secs = r.elapsedMs / 1000;
    console.log(`seeded ${r.count} businesses into ${r.target} in ${secs.toFixed(1)} s (${(r.count / secs).toFixed(0)}/s)`);
    console.log(`sampleSummaryId ${r.sampleSummaryId}, collectionExerciseId ${r.collectionExerciseId}`);
    console.log(`wrote ${path.relative(process.cwd(), r.csvPath)} and ${path.relative(process.cwd(), r.metaPath)}`);
    return 0;
  } catch (err) {
    console.error(`seed failed: ${err instanceof SeedError ? err.message : String((err as Error)?.stack ?? err)}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then((code) => process.exit(code));
}
