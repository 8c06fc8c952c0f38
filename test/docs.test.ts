// README.md and docs/*.md stay true: links and anchors resolve, the
// configuration table and the code read the same variables, the npm scripts
// named are package.json's, the generated samples are what the code prints
// now, and the screenshots were taken of the code and data there are now.
// No browser: `npm run docs` takes the screenshots and fills the samples.
// Each check is also broken on purpose below, so a check that stopped
// checking fails too.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ENV_NAMES } from '../lib/config.ts';
import { capacityReport } from '../tools/docs/capacity-report.ts';
import {
  brokenLinks, diskFs, docFiles, envProblems, envReads, isLifecycle, memoryFs, NOT_CONFIGURATION, sampleDrift, scriptMentions, scriptProblems,
  sourceFiles, staleImages, tableVariables, type DocFile, type ImageNow, type Problem,
} from '../tools/docs/check.ts';
import { combinedHash, IMAGES, imageState, importClosure, inputListProblems, MANIFEST, ROOT } from '../tools/docs/images.ts';
import { anchorsOf, formatProblem, headings, links, sampleBlocks, slugOf } from '../tools/docs/markdown.ts';
import { fillSamples, generateSamples, SAMPLE_NAMES, SampleError } from '../tools/docs/samples.ts';

const CONFIG_PAGE = 'docs/configuration.md';
const none = (problems: Problem[], what: string) => assert.equal(problems.length, 0, `${what}:\n  ${problems.map(formatProblem).join('\n  ')}`);
const messages = (problems: Problem[]) => problems.map(formatProblem);
const doc = (path: string, ...lines: string[]): DocFile => ({ path, text: lines.join('\n') });

describe('the docs as they are', () => {
  const docs = docFiles(ROOT);
  const samples = generateSamples(ROOT);

  test('README.md and docs/*.md are there', () => {
    assert.ok(docs.some((d) => d.path === 'README.md'));
    assert.ok(docs.some((d) => d.path === CONFIG_PAGE), `${CONFIG_PAGE} is missing`);
  });

  test('every relative link and #anchor resolves', () => {
    none(brokenLinks(docs, diskFs(ROOT)), 'broken links (a file that is not there, or an anchor no heading gives)');
  });

  test(`every variable the bundles and tools read is in the table of ${CONFIG_PAGE}, and every row is read`, () => {
    const page = docs.find((d) => d.path === CONFIG_PAGE) ?? null;
    none(envProblems({ page, pagePath: CONFIG_PAGE, suite: ENV_NAMES, reads: envReads(sourceFiles(ROOT)), exempt: NOT_CONFIGURATION }), 'environment variables');
  });

  test('every npm script the docs name exists, and every script is named in the docs', () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    none(scriptProblems(docs, scripts), 'npm scripts');
  });

  test('the generated samples are what the code prints now', () => {
    none(sampleDrift(docs, samples), 'samples (fix: npm run docs)');
  });

  test('every sample the contract names is used somewhere', () => {
    const used = new Set(docs.flatMap((d) => sampleBlocks(d.text).map((b) => b.name)));
    assert.deepEqual(SAMPLE_NAMES.filter((n) => !used.has(n)), [], 'samples no page shows');
  });

  test('the screenshots were taken of the code and data there are now', () => {
    let manifest: unknown = null;
    try {
      manifest = JSON.parse(readFileSync(join(ROOT, MANIFEST), 'utf8'));
    } catch { /* reported as missing */ }
    const png = (file: string) => (existsSync(join(ROOT, file)) ? readFileSync(join(ROOT, file)) : null);
    none(staleImages(manifest, IMAGES.map((s) => imageState(s, ROOT)), png), 'screenshots');
  });

  test('each screenshot\'s inputs include every module its page is rendered with', () => {
    none(inputListProblems(IMAGES, (entries) => importClosure(entries)), 'image inputs (tools/docs/images.ts)');
    for (const img of IMAGES) for (const f of img.inputs) assert.ok(existsSync(join(ROOT, f)), `${img.name}: input ${f} is not there`);
  });

  test('the samples are the same on every run and name nothing of this machine', () => {
    assert.deepEqual(Object.keys(samples), [...SAMPLE_NAMES]);
    assert.deepEqual(generateSamples(ROOT), samples);
    for (const [name, text] of Object.entries(samples)) {
      assert.ok(!text.includes(ROOT.replace(/\/$/, '')), `${name} names the repository's folder`);
      assert.ok(!/\/tmp\/|\x1b\[/.test(text), `${name} names a temporary folder or has colour codes`);
      assert.ok(text.trim() !== '', name);
    }
    assert.match(samples['terminal-report'], /^party-perf results: quick-report-baseline {2}\(profile quick, target http:\/\/127\.0\.0\.1:18090, .*SEED=7\)/);
    assert.match(samples['terminal-report'], /\nResults written\n {2}summaries\/quick-report-baseline-20261207-030602\.summary\.json\n/);
    // The README's taste: the same start, cut before Per-route.
    assert.ok(samples['terminal-report'].startsWith(samples['terminal-report-short'].replace(/\n\.\.\.$/, '')));
    assert.ok(!samples['terminal-report-short'].includes('Per-route'));
    assert.match(samples['verdict-trustworthy'], /^Trustworthy: k6 kept its schedule/);
    assert.match(samples['verdict-generator-behind'], /^The load generator fell behind: 35\.\d\d % of requests/);
    assert.match(samples['compare-markdown'], /^## party-perf comparison: docker vs gunicorn vs simplecache\n/);
  });

  test('the capacity report the screenshot shows is a valid capacity.json', () => {
    const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
    const validate = addFormats(new Ajv({ allErrors: true })).compile(JSON.parse(readFileSync(join(ROOT, 'data/schemas/capacity.schema.json'), 'utf8')));
    assert.ok(validate(capacityReport()), JSON.stringify(validate.errors));
  });
});

describe('links and anchors, broken on purpose', () => {
  const readme = doc('README.md',
    '# party-perf', '',
    'See [running](docs/running.md), [the table](docs/configuration.md#variables) and [plot twice](#plot-1).',
    'A [missing page](docs/nowhere.md) and a [missing anchor](docs/configuration.md#no-such-heading).',
    '[Can this run be',
    'trusted?](#can-this-run-be-trusted) wraps; [Upper](#Plot) is not an anchor.',
    '![image](docs/images/report.png) <a href="docs/gone.md">html</a> [dir](docs/) [out](../elsewhere.md)',
    '[site](https://example.com/x) [mail](mailto:a@b.c) `[code](nowhere.md)`',
    '[ref]: docs/also-missing.md',
    '', '```md', '[in a fence](nowhere.md#x)', '```', '',
    '## Plot', '## Plot', '## Can this run be trusted?',
  );
  const config = doc('docs/configuration.md', '# Configuration', '', '## Variables', '', 'Back to [the README](../README.md#party-perf) or [nowhere](../README.md#nope).');
  const fs = memoryFs({ [readme.path]: readme.text, [config.path]: config.text, 'docs/running.md': '# Running', 'docs/images/report.png': 'png' });
  const found = messages(brokenLinks([readme, config], fs));

  test('a link to a missing file, inline, HTML or by reference, is reported with its line', () => {
    assert.ok(found.includes('README.md:4: broken link docs/nowhere.md: no docs/nowhere.md'), found.join('\n'));
    assert.ok(found.includes('README.md:7: broken link docs/gone.md: no docs/gone.md'));
    assert.ok(found.includes('README.md:9: broken link docs/also-missing.md: no docs/also-missing.md'));
    assert.ok(found.includes('README.md:7: ../elsewhere.md: points outside the repository'));
  });

  test('an anchor no heading gives is reported, in another file and in the same one', () => {
    assert.ok(found.some((m) => m.startsWith('README.md:4: broken anchor docs/configuration.md#no-such-heading')), found.join('\n'));
    assert.ok(found.some((m) => m.startsWith('docs/configuration.md:5: broken anchor ../README.md#nope')));
    assert.ok(found.some((m) => m.startsWith('README.md:6: broken anchor #Plot') && m.includes('lowercase')));
  });

  test('and nothing else: duplicate headings get -1, wrapped link text, folders, images, code and external links', () => {
    assert.equal(found.length, 7, found.join('\n'));
  });

  test('GitHub\'s slugs: lowercase, punctuation dropped, spaces to -, repeats numbered', () => {
    assert.equal(slugOf('The main job: npm start'), 'the-main-job-npm-start');
    assert.equal(slugOf('C++ & Go — notes'), 'c--go--notes');
    assert.equal(slugOf('snake_case stays'), 'snake_case-stays');
    assert.deepEqual(headings('# `GATE_LAG` and *friends*\n## [Link](x.md) _em_\nSetext\n---\n```\n# not a heading\n```\n# Dup\n# Dup\n# Dup-1').map((h) => h.anchor),
      ['gate_lag-and-friends', 'link-em', 'setext', 'dup', 'dup-1', 'dup-1-1']);
    assert.ok(anchorsOf('<a name="custom"></a>\n# X').has('custom'));
    assert.deepEqual(links('text `[a](b.md)` and [c](d.md "title") and [e](<f g.md>)').map((l) => l.target), ['d.md', 'f g.md']);
  });
});

describe('environment variables, broken on purpose', () => {
  const page = doc(CONFIG_PAGE,
    '# Configuration', '',
    '| variable | default | meaning |', '| --- | --- | --- |',
    '| `BASE_URL` | `http://127.0.0.1:8081` | the root |',
    '| `PARTY_USER` / `PARTY_PASSWORD` | `admin` | auth \\| with a pipe |',
    '| `NOBODY_READS` | (none) | a row for a variable the code dropped |',
    '| `K6_BIN` | `k6` | the k6 executable |', '',
    '`UNDOCUMENTED` in prose is not in the table.',
  );
  const sources = [
    doc('tools/run.ts', 'const bin = process.env.K6_BIN ?? "k6";', "const dir = env['SUMMARY_DIR'];"),
    doc('bench/target.ts', 'const mix = process.env.STATUS_MIX === "1"; // and env.lowercase is no variable'),
    doc('lib/summary/paths.ts', 'const pwd = env.PWD;'),
  ];
  const reads = envReads(sources);

  test('reads are found in every form', () => {
    assert.deepEqual(reads.map((r) => `${r.file}:${r.line} ${r.name}`), ['tools/run.ts:1 K6_BIN', 'tools/run.ts:2 SUMMARY_DIR', 'bench/target.ts:1 STATUS_MIX', 'lib/summary/paths.ts:1 PWD']);
    assert.deepEqual([...tableVariables(page).keys()], ['BASE_URL', 'PARTY_USER', 'PARTY_PASSWORD', 'NOBODY_READS', 'K6_BIN']);
  });

  const found = messages(envProblems({ page, pagePath: CONFIG_PAGE, suite: ['BASE_URL', 'PARTY_USER', 'PARTY_PASSWORD', 'TIMEOUT'], reads, exempt: { PWD: 'the shell\'s' } }));

  test('a variable of the suite or a tool that the table lacks is reported where it is read', () => {
    assert.ok(found.some((m) => m.startsWith('data/schemas/env.schema.json: TIMEOUT is a variable of the suite')), found.join('\n'));
    assert.ok(found.some((m) => m.startsWith('tools/run.ts:2: reads SUMMARY_DIR, which is not documented')));
    assert.ok(found.some((m) => m.startsWith('bench/target.ts:1: reads STATUS_MIX, which is not documented')));
  });

  test('a row nothing reads is reported with its line', () => {
    assert.ok(found.some((m) => m.startsWith(`${CONFIG_PAGE}:7: NOBODY_READS is in the table but nothing reads it`)), found.join('\n'));
  });

  test('and nothing else (an exempt variable, names in prose)', () => {
    assert.equal(found.length, 4, found.join('\n'));
  });

  test('a missing page is one problem', () => {
    assert.deepEqual(messages(envProblems({ page: null, pagePath: CONFIG_PAGE, suite: ['X'], reads: [] })), [`${CONFIG_PAGE}: missing: it holds the table of environment variables`]);
  });
});

describe('npm scripts, broken on purpose', () => {
  const scripts = { build: 'node build.mjs', prepare: 'node build.mjs', pretest: 'tsc', test: 'node --test', start: 'tsx tools/run.ts', compare: 'x', 'lint:k6': 'y', secret: 'z' };
  const docs = [
    doc('README.md', '```sh', 'npm ci', 'npm test', '```', 'Then `npm start`, or npm run compare -- a b, npm run build.'),
    doc('docs/ci.md', 'Lint with `npm run lint:k6`. Run npm run nosuch.', 'And npm', 'run wrapped is not matched; npm run <script> is a placeholder.'),
  ];
  const found = messages(scriptProblems(docs, scripts));

  test('mentions are found in code and prose', () => {
    assert.deepEqual(scriptMentions(docs).map((m) => `${m.file}:${m.line} ${m.name}`),
      ['README.md:3 test', 'README.md:5 start', 'README.md:5 compare', 'README.md:5 build', 'docs/ci.md:1 lint:k6', 'docs/ci.md:1 nosuch']);
  });

  test('an unknown script is reported where it is named', () => {
    assert.ok(found.some((m) => m.startsWith('docs/ci.md:1: npm run nosuch: no such script in package.json')), found.join('\n'));
  });

  test('a script the docs never name is reported; npm\'s own hooks are not', () => {
    assert.ok(found.some((m) => m.startsWith('package.json: script "secret" is not named')), found.join('\n'));
    assert.equal(found.length, 2, found.join('\n'));
    assert.ok(isLifecycle('prepare', scripts) && isLifecycle('pretest', scripts) && !isLifecycle('build', scripts) && !isLifecycle('prefix', { prefix: '' }));
  });
});

describe('generated samples, broken on purpose', () => {
  const samples = { greeting: 'hello\nworld', fence: 'a ``` inside' };
  const page = ['# Page', '', '<!-- sample: greeting -->', '<!-- /sample -->', '', 'Prose.', '', '<!-- sample: fence -->', '```text', 'old', '```', '<!-- /sample -->', ''].join('\n');

  test('fillSamples puts each sample in a text fence between its markers, and again changes nothing', () => {
    const filled = fillSamples(page, samples);
    assert.equal(filled, ['# Page', '', '<!-- sample: greeting -->', '```text', 'hello', 'world', '```', '<!-- /sample -->', '', 'Prose.', '',
      '<!-- sample: fence -->', '````text', 'a ``` inside', '````', '<!-- /sample -->', ''].join('\n'));
    assert.equal(fillSamples(filled, samples), filled);
    assert.deepEqual(sampleDrift([{ path: 'docs/x.md', text: filled }], samples), []);
  });

  test('a drifted sample names the file, the sample and the fix', () => {
    const drifted = fillSamples(page, samples).replace('world', 'there');
    const found = messages(sampleDrift([{ path: 'docs/x.md', text: drifted }], samples));
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^docs\/x\.md:6: sample "greeting" is not what the code prints now .*"there".*"world".*: run npm run docs$/);
  });

  test('an unknown sample, or a marker without its pair, is an error', () => {
    assert.match(messages(sampleDrift([doc('README.md', '<!-- sample: nosuch -->', '<!-- /sample -->')], samples))[0]!, /^README\.md:1: unknown sample "nosuch"/);
    assert.match(messages(sampleDrift([doc('README.md', 'x', '<!-- sample: greeting -->', 'text')], samples))[0]!, /^README\.md:2: sample "greeting" has no <!-- \/sample -->/);
    assert.throws(() => fillSamples('<!-- sample: nosuch -->\n<!-- /sample -->', samples), (e: unknown) => e instanceof SampleError && /unknown sample "nosuch"/.test(e.message));
  });

  test('markers shown in a code block are not samples', () => {
    const shown = ['````md', '<!-- sample: nosuch -->', '```text', '```', '<!-- /sample -->', '````'].join('\n');
    assert.equal(fillSamples(shown, samples), shown);
    assert.deepEqual(sampleDrift([doc('docs/x.md', shown)], samples), []);
  });
});

describe('screenshots, broken on purpose', () => {
  const inputs = { 'lib/summary/html.ts': 'a'.repeat(64), 'test/fixtures/x.json': 'b'.repeat(64) };
  const now: ImageNow[] = [{ name: 'report', file: 'docs/images/report.png', sha256: combinedHash(inputs), inputs }];
  const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  const manifest = { images: { report: { file: 'report.png', sha256: now[0]!.sha256, inputs } } };

  test('a manifest of the inputs now and a PNG: nothing to say', () => {
    assert.deepEqual(staleImages(manifest, now, () => PNG), []);
  });

  test('a stale hash names the input that changed and the fix', () => {
    const changed = { ...inputs, 'lib/summary/html.ts': 'c'.repeat(64) };
    const found = messages(staleImages(manifest, [{ ...now[0]!, sha256: combinedHash(changed), inputs: changed }], () => PNG));
    assert.deepEqual(found, ['docs/images/report.png: stale: made before lib/summary/html.ts changed: run npm run docs']);
  });

  test('a missing PNG, a file that is no PNG, a missing manifest, an entry for no image', () => {
    assert.deepEqual(messages(staleImages(manifest, now, () => null)), ['docs/images/report.png: missing: run npm run docs']);
    assert.deepEqual(messages(staleImages(manifest, now, () => Buffer.from('<html>not a png</html>'))), ['docs/images/report.png: not a PNG: run npm run docs']);
    assert.deepEqual(messages(staleImages(null, now, () => PNG)), ['docs/images/manifest.json: missing or not a manifest of the screenshots: run npm run docs']);
    const extra = { images: { ...manifest.images, old: { file: 'old.png', sha256: 'x', inputs: {} } } };
    assert.deepEqual(messages(staleImages(extra, now, () => PNG)), ['docs/images/manifest.json: lists "old", which npm run docs no longer takes: run npm run docs']);
    assert.deepEqual(messages(staleImages({ images: {} }, now, () => PNG)), ['docs/images/manifest.json: no entry for docs/images/report.png: run npm run docs']);
  });

  test('an input list without a module the page is rendered with is reported', () => {
    const files: Record<string, string> = {
      'tools/x/render.ts': "import { a } from './a.ts';\nimport type { T } from './types.ts';\nexport { b } from '../../lib/b.ts';\nimport data from '../../data/d.json';",
      'tools/x/a.ts': "import './side.ts';\nimport { v } from '../../lib/generated/validate.js';",
      'tools/x/side.ts': '', 'lib/b.ts': '', 'data/d.json': '{}',
    };
    const closure = (entries: string[]) => importClosure(entries, (p) => files[p] ?? '');
    assert.deepEqual(closure(['tools/x/render.ts']), ['data/d.json', 'lib/b.ts', 'tools/x/a.ts', 'tools/x/render.ts', 'tools/x/side.ts']);
    const found = messages(inputListProblems([{ name: 'report', entries: ['tools/x/render.ts'], inputs: ['tools/x/render.ts', 'tools/x/a.ts', 'lib/b.ts', 'data/d.json'] }], closure));
    assert.deepEqual(found, ['tools/docs/images.ts: report.png is made with tools/x/side.ts, which is not in its inputs: add it to IMAGES, then run npm run docs']);
  });
});
