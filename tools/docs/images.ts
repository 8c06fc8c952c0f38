// The screenshots in docs/images/ and, in one place, the files each is made
// from. docs/images/manifest.json records a SHA-256 of those files when the
// screenshot was taken, so `npm test` can tell a stale one without a
// browser. No browser and no renderer is imported here.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Problem } from './markdown.ts';

export type ImageName = 'report' | 'plot' | 'compare' | 'capacity' | 'spike-report' | 'spike-plot';

export interface ImageSpec {
  name: ImageName;
  /** From the repository root. */
  file: string;
  /** What the picture shows, for the manifest. */
  title: string;
  /** The modules that render the page: every module they load must be in `inputs` (test/docs.test.ts checks). */
  entries: string[];
  /** Every file the picture depends on: code that builds and renders the page, and the data it shows. */
  inputs: string[];
}

export const IMAGES_DIR = 'docs/images';
export const MANIFEST = `${IMAGES_DIR}/manifest.json`;

// The page builder (size, clip, what each page is given) is an input of every picture.
const BUILDER = ['tools/docs/pages.ts', 'tools/docs/fixtures.ts'];

const SUMMARY_MODEL = [
  'data/schemas/env.schema.json', 'lib/classify.ts', 'lib/cloud.ts', 'lib/config.ts', 'lib/plan.ts', 'lib/profiles.ts', 'lib/routes.ts',
  'lib/summary/axis.ts', 'lib/summary/build.ts', 'lib/summary/format.ts', 'lib/summary/k6data.ts', 'lib/summary/model.ts',
  'lib/summary/redact.ts', 'lib/summary/shortfall.ts', 'lib/summary/statuses.ts', 'lib/summary/tables.ts', 'lib/summary/thresholds.ts',
  'lib/summary/verdict.ts', 'lib/summary/windows.ts', 'lib/summary/window-tables.ts', 'lib/windows.ts',
];
const PAGE = ['lib/summary/escape.ts', 'lib/summary/page-css.ts', 'lib/summary/svg.ts'];
const PLOT = [
  'lib/classify.ts', 'lib/routes.ts', 'lib/summary/page-css.ts',
  'tools/plot/decimate.ts', 'tools/plot/errors.ts', 'tools/plot/gates.ts', 'tools/plot/html.ts', 'tools/plot/index.ts', 'tools/plot/line-filter.ts', 'tools/plot/model.ts',
  'tools/plot/panel.ts', 'tools/plot/read-csv.ts', 'tools/plot/read-ndjson.ts', 'tools/plot/read.ts', 'tools/plot/request.ts', 'tools/plot/scale.ts',
  'tools/plot/source.ts', 'tools/plot/stats.ts', 'tools/plot/svg.ts', 'tools/plot/theme.ts', 'tools/plot/words.ts',
];

export const IMAGES: ImageSpec[] = [
  {
    name: 'report', file: `${IMAGES_DIR}/report.png`, title: 'report.html of the k6 v0.49.0 suite run',
    entries: ['lib/config.ts', 'lib/summary/build.ts', 'lib/summary/tables.ts', 'lib/summary/html.ts'],
    inputs: [...BUILDER, ...SUMMARY_MODEL, ...PAGE, 'lib/summary/html.ts', 'test/fixtures/k6-v0.49/suite-handle-summary-data.json'],
  },
  {
    name: 'plot', file: `${IMAGES_DIR}/plot.png`, title: 'npm run plot of the k6 v0.49.0 raw CSV',
    entries: ['tools/plot/index.ts'],
    inputs: [
      ...BUILDER, ...PLOT,
      'test/fixtures/k6-v0.49/raw.csv.gz',
    ],
  },
  {
    name: 'compare', file: `${IMAGES_DIR}/compare.png`, title: 'compare.html of the report\'s three result sets',
    entries: ['tools/compare/load.ts', 'tools/compare/diff.ts', 'tools/compare/html.ts'],
    inputs: [
      ...BUILDER, ...SUMMARY_MODEL, ...PAGE, 'data/schemas/summary.schema.json',
      'tools/compare/diff.ts', 'tools/compare/errors.ts', 'tools/compare/gate.ts', 'tools/compare/html.ts', 'tools/compare/load.ts',
      'tools/compare/upgrade.ts', 'tools/compare/view.ts', 'tools/html/file-path.ts',
      'test/fixtures/compare/docker.summary.json', 'test/fixtures/compare/gunicorn.summary.json', 'test/fixtures/compare/simplecache.summary.json',
    ],
  },
  {
    name: 'spike-report', file: `${IMAGES_DIR}/spike-report.png`, title: 'report.html of a real spike against the pool-100 preset',
    entries: ['lib/config.ts', 'lib/summary/build.ts', 'lib/summary/tables.ts', 'lib/summary/html.ts'],
    inputs: [...BUILDER, ...SUMMARY_MODEL, ...PAGE, 'lib/summary/html.ts', 'test/fixtures/k6-v0.49/windows/spike-pool-100.json'],
  },
  {
    name: 'spike-plot', file: `${IMAGES_DIR}/spike-plot.png`, title: 'the plot of the same spike: onset, plateau and recovery marked',
    entries: ['tools/plot/index.ts'],
    inputs: [...BUILDER, ...PLOT, 'test/fixtures/k6-v0.49/windows/spike-pool-100.raw.csv.gz'],
  },
  {
    name: 'capacity', file: `${IMAGES_DIR}/capacity.png`, title: 'capacity.html of a capacity report',
    entries: ['tools/capacity/render.ts', 'tools/capacity/model.ts', 'tools/docs/capacity-report.ts'],
    inputs: [...BUILDER, 'lib/summary/escape.ts', 'lib/summary/page-css.ts', 'tools/capacity/model.ts', 'tools/capacity/render.ts', 'tools/docs/capacity-report.ts'],
  },
];

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A file's hash; text with Windows line endings hashes as with Unix ones (a checkout's autocrlf is no change). */
export function fileHash(root: string, path: string): string {
  const data = readFileSync(join(root, path));
  return sha256(/\.(gz|png)$/.test(path) ? data : data.toString('utf8').replace(/\r\n/g, '\n'));
}

/** What an image's manifest entry records: its inputs' hashes, and one hash of them all. */
export interface ImageState {
  name: string;
  file: string;
  sha256: string;
  inputs: Record<string, string>;
}

/** One hash of the inputs, in their order, names included. */
export const combinedHash = (inputs: Record<string, string>): string =>
  sha256(Object.entries(inputs).map(([path, hash]) => `${path} ${hash}\n`).join(''));

export function imageState(spec: ImageSpec, root = ROOT): ImageState {
  const inputs: Record<string, string> = {};
  for (const p of spec.inputs) inputs[p] = fileHash(root, p);
  return { name: spec.name, file: spec.file, sha256: combinedHash(inputs), inputs };
}

export interface Manifest {
  about: string;
  images: Record<string, { file: string; title: string; sha256: string; inputs: Record<string, string> }>;
}

export function manifestOf(states: ImageState[]): Manifest {
  const images: Manifest['images'] = {};
  for (const s of states) {
    const spec = IMAGES.find((i) => i.name === s.name);
    images[s.name] = { file: posix.basename(s.file), title: spec?.title ?? s.name, sha256: s.sha256, inputs: s.inputs };
  }
  return {
    about: 'Written by npm run docs: the SHA-256 of the files each screenshot was made from (tools/docs/images.ts lists them). npm test compares them with the files now.',
    images,
  };
}

// Static imports that load code: `import x from './y.ts'`, `export ... from`, not `import type`.
const IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\bfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;

/**
 * The repository files `entries` load, themselves included: relative
 * imports of code and JSON, followed; generated code (lib/generated/, built
 * from data/schemas/) and packages are not files of the repository's own.
 */
export function importClosure(entries: string[], read: (path: string) => string = (p) => readFileSync(join(ROOT, p), 'utf8')): string[] {
  const seen = new Set<string>();
  const todo = [...entries];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.(ts|mts|js|mjs)$/.test(file)) continue;
    for (const m of read(file).matchAll(IMPORT)) {
      const target = posix.normalize(posix.join(posix.dirname(file), m[1]!));
      if (!target.startsWith('lib/generated/')) todo.push(target);
    }
  }
  return [...seen].sort();
}

/** Inputs an image's list lacks: a module its renderer loads whose change would not mark it stale. */
export function inputListProblems(images: Pick<ImageSpec, 'name' | 'entries' | 'inputs'>[], closure: (entries: string[]) => string[]): Problem[] {
  const out: Problem[] = [];
  for (const img of images) {
    const listed = new Set(img.inputs);
    for (const f of closure(img.entries)) {
      if (!listed.has(f)) out.push({ file: 'tools/docs/images.ts', line: 0, message: `${img.name}.png is made with ${f}, which is not in its inputs: add it to IMAGES, then run npm run docs` });
    }
  }
  return out;
}
