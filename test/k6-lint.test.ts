// tools/k6-lint.ts: each rule fires on a small bad sample, and clean code
// (including look-alikes a regex would trip on) passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLD_PART_TOLERATED, lintColdParts, lintSource, main } from '../tools/k6-lint.ts';
import { repo } from './helpers/k6.ts';

const messages = (code: string, kind: 'module' | 'script' = 'module') => lintSource(code, 'x.js', kind).map((f) => `${f.line}: ${f.message}`);

test('clean k6 code passes, look-alikes in strings, comments and local names included', () => {
  const clean = [
    "import http from 'k6/http';",
    "import { sleep } from 'k6';",
    "export { check } from 'k6';",
    "const text = 'a?.b ?? process.env.X, fetch(u), x.toSorted()'; // setTimeout(f) 10n",
    'const fetch = (u) => http.get(u);',
    'function later(setTimeout) { return setTimeout; }',
    "const env = typeof process !== 'undefined' ? process.env : __ENV;",
    "if (typeof window === 'undefined') {} else { window.x = 1; }",
    "const ok = typeof Buffer === 'function' && Buffer.from('x');",
    "const legacy = require('k6/http');",
    'const k6Globals = [global, globalThis, module, exports, console];',
    'export default async function () { const r = fetch(`http://127.0.0.1/${text}`); const o = Object.assign({}, { a: 1 }); await sleep(1); return [r, o, env, ok, later, legacy, k6Globals].slice().sort(); }',
  ].join('\n');
  assert.deepEqual(messages(clean), []);
});

test('syntax newer than ES2017: each construct named, with its line and the fix', () => {
  const cases: Array<[string, RegExp]> = [
    ['const a = {}; export const b = a?.c;', /optional chaining.*es2017/],
    ['export const b = globalThis.x ?? 1;', /nullish coalescing.*es2017/],
    ['let a = 0; a ??= 1; export { a };', /logical assignment \(\?\?=\)/],
    ['export const big = 10n;', /BigInt literal/],
    ['export const n = 1_000;', /numeric separator/],
    ['const a = {}; export const b = { ...a };', /object spread/],
    ['export const { a, ...rest } = {};', /object rest/],
    ['try { JSON.parse("x"); } catch { }', /catch without a binding/],
    ['export class A { x = 1; }', /class field/],
    ['export class A { #x; }', /private class field/],
    ['export class A { #m() { return this.#m; } }', /private method/],
    ['export async function* g() {}', /async generator/],
    ['export const r = /(?<y>\\d+)/;', /named group|ES2018|ES2017/],
    ['export const r = /a.b/s;', /regular expression flag \/s/],
    ["export const m = import('k6/http');", /dynamic import\(\)/],
  ];
  for (const [code, expected] of cases) {
    const found = messages(`// line 1\n${code}`);
    assert.ok(found.length >= 1, `${code}: no finding`);
    assert.ok(found.some((m) => m.startsWith('2: ') && expected.test(m)), `${code}: ${found.join(' | ')}`);
  }
});

test('what only the ES2017 parse refuses is still reported', () => {
  // Top-level await is plain ES2022 syntax with no node of its own to flag.
  const found = messages("import http from 'k6/http';\nawait http.asyncRequest('GET', 'http://127.0.0.1/');");
  assert.equal(found.length, 1);
  assert.match(found[0]!, /^2: not ES2017 .*es2017/);
});

test('imports: only k6, k6/* and the bundle\'s own body; anything else is bundled or it is a finding', () => {
  const why = "bundle it (k6 resolves only k6, k6/* and the bundle's own ./x.cjs here)";
  assert.deepEqual(messages("import Papa from 'papaparse';\nimport { x } from './local.js';\nexport * from 'node:fs';\nexport { y } from 'k6x';\nimport 'k6/http';\nimport body from './x.cjs';\nimport other from './other.cjs';"), [
    `1: import of 'papaparse': ${why}`,
    `2: import of './local.js': ${why}`,
    `3: import of 'node:fs': ${why}`,
    `4: import of 'k6x': ${why}`,
    `7: import of './other.cjs': ${why}`,
  ]);
});

test('free Node and browser globals are findings; declared or guarded names are not', () => {
  const uses = ['process.env.X', "Buffer.from('x')", "require('fs')", 'setTimeout(f, 1)', 'setInterval(f, 1)', "fetch('http://127.0.0.1/')", 'new Intl.NumberFormat()', 'new TextEncoder()', 'new TextDecoder()', 'structuredClone({})', 'window.x', 'document.title', 'crypto.getRandomValues(f)', "atob('eA==')"];
  const code = `const f = () => 1;\n${uses.map((u) => `export const v${uses.indexOf(u)} = ${u};`).join('\n')}`;
  const found = lintSource(code, 'x.js');
  assert.equal(found.length, uses.length, found.map((f) => f.message).join('\n'));
  assert.deepEqual(found.map((f) => f.line), uses.map((_, i) => i + 2));
  assert.match(found[0]!.message, /`process`: read __ENV/);
  assert.match(found[3]!.message, /timers are not global in k6 v0.49/);
  // A guard on another name does not cover this one.
  assert.equal(messages("export const x = typeof window !== 'undefined' ? document.title : '';").length, 1);
});

test('ES2023 methods that k6 v0.49 lacks are findings where called', () => {
  // findLast and findLastIndex are ES2023 too, but k6 v0.49 has them.
  assert.deepEqual(messages("const a = [3, 1];\nexport const b = a.toSorted();\nexport const c = a.toSpliced(0, 1);\nexport const d = a['toReversed']();\nexport const e = a.toReversed;\nexport const f = a.findLast((x) => x > 1);").map((m) => m.slice(0, 2)), ['2:', '3:', '4:']);
});

test('cold parts are scripts: an import is a finding; the tolerated papaparse paths are counted, not ignored', () => {
  assert.match(messages("import http from 'k6/http';", 'script')[0]!, /does not parse as a script/);
  assert.equal(COLD_PART_TOLERATED.setTimeout!.count, 1);
  const one = 'var __cold = function () { this.resume = function () { setTimeout(this.resume, 3); }; };';
  assert.deepEqual(lintColdParts({ summary: one }), []);
  const two = `${one}\nsetTimeout(function () {}, 1);`;
  assert.deepEqual(lintColdParts({ summary: two }).map((f) => `${f.file}:${f.line}`), ['cold:summary:1', 'cold:summary:2']);
  assert.equal(lintSource(one, 'y.js', 'script').length, 1, 'only the cold-part list tolerates it');
});

test('the CLI prints file:line:column and the fix per finding, and exits 1 on any', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k6-lint-'));
  try {
    const bad = join(dir, 'bad.js');
    const good = join(dir, 'good.js');
    writeFileSync(bad, "import http from 'k6/http';\nexport default function () { return http.get(__ENV.U)?.status ?? process.exitCode; }\n");
    writeFileSync(good, "import http from 'k6/http';\nexport default function () { return http.get(__ENV.U).status; }\n");
    const lines: string[] = [];
    assert.equal(await main([good, bad], (l) => lines.push(l)), 1);
    assert.deepEqual(lines.map((l) => l.replace(dir, 'D')), [
      'D/bad.js:2:37: optional chaining (?.), ES2020: set the esbuild target to es2017',
      'D/bad.js:2:37: nullish coalescing (??), ES2020: set the esbuild target to es2017',
      'D/bad.js:2:66: Node global `process`: read __ENV instead',
      'k6-lint: 3 finding(s)',
    ]);
    // As a command, the way npm run lint:k6 calls it.
    const cmd = (f: string) => spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'tools/k6-lint.ts'), f], { cwd: repo, encoding: 'utf8' });
    const failed = cmd(bad);
    assert.equal(failed.status, 1);
    assert.match(failed.stdout, /bad\.js:2:66: Node global `process`/);
    assert.equal(cmd(good).status, 0);
    assert.match(execFileSync(process.execPath, ['--import', 'tsx', join(repo, 'tools/k6-lint.ts'), good], { cwd: repo, encoding: 'utf8' }), /k6-lint: no findings/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
