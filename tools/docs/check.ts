// The checks that keep README.md and docs/*.md true, each a pure function
// of the files' text (test/docs.test.ts runs them on the real docs and
// breaks each on purpose), and the few readers that give them the files.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { anchorsOf, links, sampleBlocks, sampleBody, SampleError, splitLines, tableRows, type DocFile, type Problem } from './markdown.ts';

export type { DocFile, Problem } from './markdown.ts';

/** What a link may point at, besides the docs themselves. */
export interface FsView {
  /** A path from the repository root (no `./`, no trailing `/`). */
  kind(path: string): 'file' | 'dir' | null;
  read(path: string): string | null;
}

/** The files as the only ones there are (and their folders). */
export function memoryFs(files: Record<string, string>): FsView {
  const dirs = new Set<string>(['.']);
  for (const f of Object.keys(files)) for (let d = posix.dirname(f); d !== '.' && !dirs.has(d); d = posix.dirname(d)) dirs.add(d);
  return {
    kind: (p) => (p in files ? 'file' : dirs.has(p) ? 'dir' : null),
    read: (p) => files[p] ?? null,
  };
}

/** The repository on disk. */
export function diskFs(root: string): FsView {
  return {
    kind: (p) => {
      try {
        const s = statSync(join(root, p));
        return s.isDirectory() ? 'dir' : 'file';
      } catch {
        return null;
      }
    },
    read: (p) => {
      try {
        return readFileSync(join(root, p), 'utf8');
      } catch {
        return null;
      }
    },
  };
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * Relative links whose file is missing, and `#anchors` no heading of the
 * target gives (GitHub's slugs). Links in code are not links; `http(s):`,
 * `mailto:` and other schemes are not fetched.
 */
export function brokenLinks(files: DocFile[], fs: FsView = memoryFs(Object.fromEntries(files.map((f) => [f.path, f.text])))): Problem[] {
  const out: Problem[] = [];
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const anchorCache = new Map<string, Set<string>>();
  const anchors = (path: string): Set<string> => {
    let set = anchorCache.get(path);
    if (!set) anchorCache.set(path, (set = anchorsOf(texts.get(path) ?? fs.read(path) ?? '')));
    return set;
  };
  for (const file of files) {
    for (const { line, target } of links(file.text)) {
      const problem = (message: string) => out.push({ file: file.path, line, message });
      if (target === '') {
        problem('empty link target');
        continue;
      }
      if (SCHEME.test(target) || target.startsWith('//')) continue;
      const hash = target.indexOf('#');
      const pathPart = (hash < 0 ? target : target.slice(0, hash)).replace(/\?.*$/, '');
      const anchor = hash < 0 ? null : decode(target.slice(hash + 1));
      let resolved = file.path;
      if (pathPart !== '') {
        const p = decode(pathPart);
        resolved = posix.normalize(p.startsWith('/') ? p.slice(1) : posix.join(posix.dirname(file.path), p)).replace(/\/+$/, '') || '.';
        if (resolved === '..' || resolved.startsWith('../')) {
          problem(`${target}: points outside the repository`);
          continue;
        }
      }
      const kind = texts.has(resolved) ? 'file' : fs.kind(resolved);
      if (kind === null) {
        problem(`broken link ${target}: no ${resolved}`);
        continue;
      }
      if (anchor === null || anchor === '' || kind !== 'file' || !/\.md$/i.test(resolved)) continue;
      const set = anchors(resolved);
      if (!set.has(anchor)) {
        const near = set.has(anchor.toLowerCase()) ? ` (anchors are lowercase: #${anchor.toLowerCase()})` : '';
        problem(`broken anchor ${target}: ${resolved} has no heading with the anchor #${anchor}${near}`);
      }
    }
  }
  return out;
}

// ---- environment variables -------------------------------------------------

export interface EnvRead {
  name: string;
  file: string;
  line: number;
}

// `env` followed by a dot and an upper-case name, or by ['NAME'] (process's or any object's named env).
const ENV_READ = /\benv(?:\.([A-Z_][A-Z0-9_]*)\b|\[\s*(['"])([A-Z_][A-Z0-9_]*)\2\s*\])/g;

/** Every environment variable `sources` read by name. */
export function envReads(sources: DocFile[]): EnvRead[] {
  const out: EnvRead[] = [];
  for (const f of sources) {
    for (const [i, line] of splitLines(f.text).entries()) {
      for (const m of line.matchAll(ENV_READ)) out.push({ name: m[1] ?? m[3]!, file: f.path, line: i + 1 });
    }
  }
  return out;
}

/** The variables of a page's tables: names in backticks in a row's first cell, with the row's line. */
export function tableVariables(page: DocFile): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of tableRows(page.text)) {
    for (const m of (row.cells[0] ?? '').matchAll(/`([A-Z_][A-Z0-9_]*)`/g)) if (!out.has(m[1]!)) out.set(m[1]!, row.line);
  }
  return out;
}

export interface EnvInput {
  /** The page whose tables document the variables (docs/configuration.md), or null when it is missing. */
  page: DocFile | null;
  pagePath: string;
  /** The suite's variables (ENV_NAMES in lib/config.ts). */
  suite: readonly string[];
  reads: EnvRead[];
  /** Read, yet no configuration: the name and why. */
  exempt?: Readonly<Record<string, string>>;
}

/** A variable read but not in the table, and a table row nothing reads. */
export function envProblems({ page, pagePath, suite, reads, exempt = {} }: EnvInput): Problem[] {
  if (!page) return [{ file: pagePath, line: 0, message: 'missing: it holds the table of environment variables' }];
  const table = tableVariables(page);
  const out: Problem[] = [];
  const read = new Set([...suite, ...reads.map((r) => r.name)]);
  const hint = `add a row for it to the table in ${pagePath} (the name in backticks in the first column)`;
  for (const name of suite) {
    if (!table.has(name) && !(name in exempt)) {
      out.push({ file: 'data/schemas/env.schema.json', line: 0, message: `${name} is a variable of the suite (ENV_NAMES in lib/config.ts) but not documented: ${hint}` });
    }
  }
  const reported = new Set(suite);
  for (const r of reads) {
    if (table.has(r.name) || r.name in exempt || reported.has(r.name)) continue;
    reported.add(r.name);
    out.push({ file: r.file, line: r.line, message: `reads ${r.name}, which is not documented: ${hint}` });
  }
  for (const [name, line] of table) {
    if (!read.has(name)) {
      out.push({ file: pagePath, line, message: `${name} is in the table but nothing reads it (not in ENV_NAMES, and no env.${name} in tools/, lib/, bench/ or build.mjs): remove the row, or say which program reads it` });
    }
  }
  return out;
}

// ---- npm scripts -----------------------------------------------------------

export interface ScriptMention {
  name: string;
  file: string;
  line: number;
}

const NPM = /\bnpm[ \t]+(?:run(?:-script)?[ \t]+([A-Za-z0-9][\w:.-]*)|(start|test)\b)/g;

/** Every `npm run NAME`, `npm start` and `npm test` in the docs, code included. */
export function scriptMentions(docs: DocFile[]): ScriptMention[] {
  const out: ScriptMention[] = [];
  for (const d of docs) {
    for (const [i, line] of splitLines(d.text).entries()) {
      for (const m of line.matchAll(NPM)) out.push({ name: (m[1] ?? m[2]!).replace(/[.:-]+$/, ''), file: d.path, line: i + 1 });
    }
  }
  return out;
}

/** npm runs these itself: no one types them. */
const LIFECYCLE = new Set(['prepare', 'prepublish', 'prepublishOnly', 'prepack', 'postpack', 'preinstall', 'install', 'postinstall', 'dependencies', 'preversion', 'version', 'postversion']);

export const isLifecycle = (name: string, scripts: Record<string, string>): boolean =>
  LIFECYCLE.has(name) || (/^(pre|post)./.test(name) && name.replace(/^(pre|post)/, '') in scripts);

/** A script the docs name that package.json lacks, and one of package.json's the docs never name. */
export function scriptProblems(docs: DocFile[], scripts: Record<string, string>, packagePath = 'package.json'): Problem[] {
  const out: Problem[] = [];
  const mentions = scriptMentions(docs);
  for (const m of mentions) {
    if (!(m.name in scripts)) {
      out.push({ file: m.file, line: m.line, message: `npm ${m.name === 'start' || m.name === 'test' ? m.name : `run ${m.name}`}: no such script in ${packagePath} (it has ${Object.keys(scripts).join(', ')})` });
    }
  }
  const named = new Set(mentions.map((m) => m.name));
  for (const name of Object.keys(scripts)) {
    if (!named.has(name) && !isLifecycle(name, scripts)) {
      out.push({ file: packagePath, line: 0, message: `script "${name}" is not named in README.md or docs/ (as npm run ${name}): say what it is for` });
    }
  }
  return out;
}

// ---- generated samples -----------------------------------------------------

/** A sample block whose text is not what the code prints now, an unknown sample, a marker without its pair. */
export function sampleDrift(docs: DocFile[], samples: Readonly<Record<string, string>>): Problem[] {
  const out: Problem[] = [];
  for (const d of docs) {
    let blocks;
    try {
      blocks = sampleBlocks(d.text);
    } catch (e) {
      if (!(e instanceof SampleError)) throw e;
      out.push({ file: d.path, line: e.line, message: e.message });
      continue;
    }
    for (const b of blocks) {
      const text = samples[b.name];
      if (text === undefined) {
        out.push({ file: d.path, line: b.start, message: `unknown sample "${b.name}" (known: ${Object.keys(samples).join(', ')})` });
        continue;
      }
      const want = sampleBody(text);
      if (want.join('\n') === b.body.join('\n')) continue;
      let k = 0;
      while (k < want.length && want[k] === b.body[k]) k++;
      out.push({
        file: d.path, line: b.start + 1 + k,
        message: `sample "${b.name}" is not what the code prints now (from here: ${JSON.stringify(b.body[k] ?? '(end)')}, now ${JSON.stringify(want[k] ?? '(end)')}): run npm run docs`,
      });
    }
  }
  return out;
}

// ---- screenshots -----------------------------------------------------------

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
export const isPng = (data: Uint8Array | null): boolean => data !== null && data.length > 8 && PNG_SIGNATURE.every((b, i) => data[i] === b);

export interface ImageNow {
  name: string;
  /** From the repository root. */
  file: string;
  sha256: string;
  inputs: Record<string, string>;
}

/**
 * Screenshots whose inputs changed since they were taken (the manifest's
 * hashes against `now`), that are missing or not PNGs, and manifest entries
 * no image has any more.
 */
export function staleImages(manifest: unknown, now: ImageNow[], png: (file: string) => Uint8Array | null, manifestPath = 'docs/images/manifest.json'): Problem[] {
  const out: Problem[] = [];
  const fix = 'run npm run docs';
  const images = (manifest as { images?: unknown } | null)?.images;
  if (typeof images !== 'object' || images === null) return [{ file: manifestPath, line: 0, message: `missing or not a manifest of the screenshots: ${fix}` }];
  const entries = images as Record<string, { sha256?: unknown; inputs?: unknown }>;
  for (const img of now) {
    const e = entries[img.name];
    if (!e) out.push({ file: manifestPath, line: 0, message: `no entry for ${img.file}: ${fix}` });
    else if (e.sha256 !== img.sha256) {
      const was = (typeof e.inputs === 'object' && e.inputs !== null ? e.inputs : {}) as Record<string, unknown>;
      const changed = Object.keys(img.inputs).filter((p) => was[p] !== img.inputs[p]);
      const dropped = Object.keys(was).filter((p) => !(p in img.inputs));
      const what = [...changed.map((p) => (p in was ? `${p} changed` : `${p} added`)), ...dropped.map((p) => `${p} no longer an input`)];
      out.push({ file: img.file, line: 0, message: `stale: made before ${what.length ? what.join(', ') : 'its inputs changed'}: ${fix}` });
    }
    const data = png(img.file);
    if (data === null) out.push({ file: img.file, line: 0, message: `missing: ${fix}` });
    else if (!isPng(data)) out.push({ file: img.file, line: 0, message: `not a PNG: ${fix}` });
  }
  for (const name of Object.keys(entries)) {
    if (!now.some((i) => i.name === name)) out.push({ file: manifestPath, line: 0, message: `lists "${name}", which npm run docs no longer takes: ${fix}` });
  }
  return out;
}

// ---- readers ---------------------------------------------------------------

/** README.md and docs/*.md, as the checks read them. */
export function docFiles(root: string): DocFile[] {
  const paths = ['README.md'];
  if (existsSync(join(root, 'docs'))) {
    for (const f of readdirSync(join(root, 'docs')).sort()) if (f.endsWith('.md') && statSync(join(root, 'docs', f)).isFile()) paths.push(`docs/${f}`);
  }
  return paths.filter((p) => existsSync(join(root, p))).map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

/** The code that may read the environment: tools/, lib/ (not its generated part), bench/, build.mjs. */
export function sourceFiles(root: string): DocFile[] {
  const out: DocFile[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (p !== 'lib/generated' && e.name !== 'node_modules') walk(p);
      } else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(e.name)) out.push({ path: p, text: readFileSync(join(root, p), 'utf8') });
    }
  };
  for (const d of ['tools', 'lib', 'bench']) if (existsSync(join(root, d))) walk(d);
  if (existsSync(join(root, 'build.mjs'))) out.push({ path: 'build.mjs', text: readFileSync(join(root, 'build.mjs'), 'utf8') });
  return out;
}

/** Read by the code, yet not configuration anyone sets: kept out of the table on purpose. */
export const NOT_CONFIGURATION: Readonly<Record<string, string>> = {
  PWD: 'the shell\'s working folder, which k6 run hands the script (lib/summary/paths.ts guesses where results go)',
  K6_CLOUDRUN_INSTANCE_ID: 'set by Grafana Cloud k6 on its own instances (lib/summary/paths.ts: no local folder to probe there)',
};
