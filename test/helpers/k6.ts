// Load a built k6 bundle in Node with k6's modules stubbed: the imports of
// dist/<name>.js are rewritten to test/helpers/k6-stubs/ (its body,
// dist/<name>.cjs, gets them from it as k6 does), globals (__ENV, __VU, open)
// are set, and every request, metric, check and SharedArray call is recorded.
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../..');

export interface Answer {
  status: number;
  error_code?: number;
  error?: string;
  body?: string;
  /** As k6 gives them: canonical names (`Allow`). */
  headers?: Record<string, string>;
}
export interface Recorded {
  requests: Array<{ method: string; url: string; params: { headers?: Record<string, string>; timeout?: string; tags?: Record<string, string>; responseType?: string }; body?: unknown }>;
  metrics: Array<{ name: string; value: number; tags: Record<string, string> }>;
  checks: Array<{ name: string; ok: boolean }>;
  sharedCalls: string[];
  opened: string[];
  /** The custom metrics created (`new Counter(name)` ...), in order. */
  registered: string[];
  logs: string[];
  /** `new Function` calls while loading: the cold parts compiled in this context. */
  compiled: number;
}
export interface LoadOptions {
  env?: Record<string, string>;
  vu?: number;
  /** Files open() can read, by the path the bundle asks for. Default: the real file next to dist/. */
  files?: Record<string, string>;
  respond?: (req: { method: string; url: string }) => Answer;
  /** Keep SharedArray contents from an earlier load (as k6 does across VUs). */
  shared?: Map<string, string>;
}

let n = 0;
export async function loadBundle(name: string, o: LoadOptions = {}): Promise<{ mod: Record<string, any>; rec: Recorded; shared: Map<string, string> }> {
  const src = readFileSync(join(repo, 'dist', `${name}.js`), 'utf8');
  const stubs = join(here, 'k6-stubs');
  const code = src.replace(/from\s*["'](k6(?:\/[a-z]+)?)["']/g, (_m, spec: string) => {
    const file = spec === 'k6' ? 'k6.mjs' : `${spec.slice(3)}.mjs`;
    return `from ${JSON.stringify(pathToFileURL(join(stubs, file)).href)}`;
  });
  const dir = mkdtempSync(join(tmpdir(), 'party-perf-bundle-'));
  const file = join(dir, `${name}-${++n}.mjs`);
  // The body as a fresh .cjs (Node caches modules by path; a VU compiles its own copy).
  const body = `./${name}.cjs`;
  if (!code.includes(JSON.stringify(body))) throw new Error(`dist/${name}.js does not import ${body}`);
  writeFileSync(join(dir, `${name}-${n}.cjs`), readFileSync(join(repo, 'dist', `${name}.cjs`), 'utf8'));
  writeFileSync(file, code.replace(JSON.stringify(body), JSON.stringify(`./${name}-${n}.cjs`)));
  const rec: Recorded = { requests: [], metrics: [], checks: [], sharedCalls: [], opened: [], registered: [], logs: [], compiled: 0 };
  const shared = o.shared ?? new Map<string, string>();
  const g = globalThis as any;
  g.__k6 = {
    ...rec,
    shared,
    vu: o.vu ?? 0,
    scenario: { name: 'test', iterationInTest: 0 },
    // A scenario without its own startTime started now: its requests are on time.
    startedAt: Date.now(),
    respond: o.respond ?? (() => ({ status: 200, error_code: 0, body: '{}' })),
  };
  // the recorder arrays are the same objects the stubs push to
  rec.requests = g.__k6.requests; rec.metrics = g.__k6.metrics; rec.checks = g.__k6.checks; rec.sharedCalls = g.__k6.sharedCalls; rec.registered = g.__k6.registered;
  g.__ENV = { ...(o.env ?? {}) };
  g.__VU = o.vu ?? 0;
  g.open = (path: string) => {
    rec.opened.push(path);
    if (o.files && path in o.files) return o.files[path];
    // k6's own messages (v0.49 and v2.2 say the same): it opens files only.
    const full = resolve(repo, 'dist', path);
    if (!existsSync(full)) throw new Error(`stat ${full}: no such file or directory`);
    if (statSync(full).isDirectory()) throw new Error(`open() can't be used with directories, path: ${JSON.stringify(full)}`);
    return readFileSync(full, 'utf8');
  };
  const origLog = console.log;
  const origFunction = globalThis.Function;
  console.log = (...a: unknown[]) => { rec.logs.push(a.join(' ')); };
  g.Function = new Proxy(origFunction, { construct(t, args) { rec.compiled++; return Reflect.construct(t, args); } });
  try {
    const mod = await import(pathToFileURL(file).href);
    // The scenario starts once the VU is up (as k6 starts one after its VUs
    // are initialised): a slow import on a busy machine is not a late start.
    g.__k6.startedAt = Date.now();
    return { mod, rec, shared };
  } finally {
    console.log = origLog;
    g.Function = origFunction;
  }
}
