// npm run docs: fills the generated samples in README.md and docs/*.md,
// takes the screenshots in docs/images/ whose inputs changed in Debian's
// Chromium, and writes docs/images/manifest.json. Only this needs a
// browser; npm test checks the results without one.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserSkip, launchChromium, openOffline } from '../../test/helpers/browser.ts';
import { docFiles, isPng } from './check.ts';
import { IMAGES, IMAGES_DIR, imageState, MANIFEST, manifestOf, ROOT, type ImageState } from './images.ts';
import { formatProblem, sampleBlocks, SampleError } from './markdown.ts';
import { CLIP_HEIGHT, MAX_PNG_BYTES, pageHtml, VIEWPORT } from './pages.ts';
import { fillSamples, generateSamples } from './samples.ts';

const USAGE = `usage: npm run docs [-- --samples | --images] [--force] [--dry-run]
  --samples  only fill the samples (no browser needed)
  --images   only take the screenshots and write the manifest
  --force    take every screenshot, not only those whose inputs changed
  --dry-run  say what would change, write nothing, start no browser`;

const FLAGS = ['--samples', '--images', '--force', '--dry-run'];

const log = (s: string) => process.stdout.write(`${s}\n`);
const warn = (s: string) => process.stderr.write(`docs: ${s}\n`);
const kb = (n: number) => `${Math.round(n / 1024)} KB`;

function fill(root: string, dryRun: boolean): boolean {
  const samples = generateSamples(root);
  let ok = true;
  // Each file is read just before it is written: someone may be editing the others.
  for (const path of docFiles(root).map((d) => d.path)) {
    const text = readFileSync(join(root, path), 'utf8');
    let next: string;
    try {
      next = fillSamples(text, samples);
    } catch (e) {
      if (!(e instanceof SampleError)) throw e;
      warn(formatProblem({ file: path, line: e.line, message: e.message }));
      ok = false;
      continue;
    }
    const count = sampleBlocks(text).length;
    const what = `${count} sample${count === 1 ? '' : 's'}`;
    if (next !== text) {
      if (!dryRun) writeFileSync(join(root, path), next);
      log(`docs: ${path}: ${what}, ${dryRun ? 'would update' : 'updated'}`);
    } else if (count > 0) log(`docs: ${path}: ${what}, up to date`);
  }
  return ok;
}

function previousManifest(root: string): Record<string, { sha256?: string }> {
  try {
    return (JSON.parse(readFileSync(join(root, MANIFEST), 'utf8')) as { images?: Record<string, { sha256?: string }> }).images ?? {};
  } catch {
    return {};
  }
}

async function shoot(root: string, force: boolean, dryRun: boolean): Promise<boolean> {
  const states = IMAGES.map((spec) => imageState(spec, root));
  const before = previousManifest(root);
  const todo = IMAGES.filter((spec, i) => {
    const file = join(root, spec.file);
    return force || before[spec.name]?.sha256 !== states[i]!.sha256 || !existsSync(file) || !isPng(readFileSync(file));
  });
  for (const spec of IMAGES) if (!todo.includes(spec)) log(`docs: ${spec.file}: up to date`);
  if (dryRun) {
    for (const spec of todo) log(`docs: ${spec.file}: would take`);
    return true;
  }
  let ok = true;
  const taken = new Set<string>();
  if (todo.length > 0) {
    if (browserSkip) {
      warn(`${browserSkip}; the screenshots were not taken`);
      return false;
    }
    mkdirSync(join(root, IMAGES_DIR), { recursive: true });
    const profile = mkdtempSync(join(tmpdir(), 'party-perf-docs-'));
    const ctx = await launchChromium(profile, { ...VIEWPORT });
    const errors: string[] = [];
    ctx.on('weberror', (e) => errors.push(e.error().message));
    try {
      for (const spec of todo) {
        errors.length = 0;
        const { page, requests } = await openOffline(ctx, await pageHtml(spec.name, root));
        await page.evaluate('document.fonts.ready');
        const height = Math.min(CLIP_HEIGHT, await page.evaluate<number>('document.documentElement.scrollHeight'));
        const file = join(root, spec.file);
        await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: VIEWPORT.width, height } });
        await page.close();
        const size = statSync(file).size;
        const notes = [...(requests.length ? [`it asked for ${requests.join(', ')} (blocked)`] : []), ...errors.map((e) => `page error: ${e}`)];
        log(`docs: ${spec.file}: taken, ${VIEWPORT.width} x ${height} px, ${kb(size)}${notes.length ? `; ${notes.join('; ')}` : ''}`);
        if (size > MAX_PNG_BYTES) {
          warn(`${spec.file} is ${kb(size)}, over ${kb(MAX_PNG_BYTES)}: clip it shorter (CLIP_HEIGHT in tools/docs/pages.ts)`);
          ok = false;
        }
        taken.add(spec.name);
      }
    } finally {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }
  // Every image is now taken or was up to date: the manifest records the inputs now.
  const recorded: ImageState[] = states.filter((s) => taken.has(s.name) || before[s.name]?.sha256 === s.sha256);
  const text = `${JSON.stringify(manifestOf(recorded), null, 2)}\n`;
  const path = join(root, MANIFEST);
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
    writeFileSync(path, text);
    log(`docs: ${MANIFEST}: written`);
  } else log(`docs: ${MANIFEST}: up to date`);
  return ok;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    log(USAGE);
    return 0;
  }
  const unknown = argv.filter((a) => !FLAGS.includes(a));
  if (unknown.length > 0) {
    warn(`unknown argument ${unknown.join(' ')}\n${USAGE}`);
    return 2;
  }
  const dryRun = argv.includes('--dry-run');
  const both = !argv.includes('--samples') && !argv.includes('--images');
  const samplesOk = both || argv.includes('--samples') ? fill(ROOT, dryRun) : true;
  const imagesOk = both || argv.includes('--images') ? await shoot(ROOT, argv.includes('--force'), dryRun) : true;
  return samplesOk && imagesOk ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
