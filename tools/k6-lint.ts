// What a k6 v0.49 runtime cannot run, found in built bundles with a real
// parser: syntax newer than ES2017 (k6 v0.49 cannot parse `?.` or `??`),
// imports other than k6's own modules, Node or browser globals k6 does not
// provide, and ES2023+ built-in methods its JS engine lacks.
//   tsx tools/k6-lint.ts dist/*.js dist/*.cjs    the bundles as ES modules, their
//                                                bodies (.cjs) as scripts
//   tsx tools/k6-lint.ts --cold ...              also the embedded cold parts,
//                                                as scripts (they are compiled with new Function)
// One line per finding (file:line:column: what, and the fix); exit 1 on any.
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';
import { analyze } from 'eslint-scope';
import type * as ESTree from 'estree';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { basename } from 'node:path';

export interface Finding { file: string; line: number; column: number; message: string }
export type SourceKind = 'module' | 'script';
/** Free references to a global that a source may hold without a finding, how many, and why they never run. */
export type Tolerated = Record<string, { count: number; why: string }>;

/**
 * papaparse, bundled into the cold parts that parse or write CSV, keeps two
 * browser paths that the suite never takes: remote-file download
 * (`download: true`, XMLHttpRequest) and resuming a paused stream
 * (setTimeout). One each per part; a second use is a finding.
 */
export const COLD_PART_TOLERATED: Tolerated = {
  XMLHttpRequest: { count: 1, why: 'papaparse download mode, never used' },
  setTimeout: { count: 1, why: 'papaparse stream resume, never used' },
};

/**
 * Globals of Node or browsers that k6 v0.49 lacks, with the fix. Checked with
 * `typeof` in a real k6 v0.49.0: each of these is a ReferenceError there
 * (`require` exists only in the init context). k6 does define `global`,
 * `globalThis`, `module`, `exports` and `console`, so they are not listed.
 */
const FORBIDDEN_GLOBALS: Record<string, string> = {
  process: 'Node global `process`: read __ENV instead',
  Buffer: 'Node global `Buffer`: use k6/encoding',
  require: 'require() of a non-k6 module: import it so esbuild bundles it',
  __dirname: 'Node global `__dirname`: paths are relative to the script in k6',
  __filename: 'Node global `__filename`: not in k6',
  setTimeout: 'timers are not global in k6 v0.49 (k6/timers from v0.50): use sleep() from k6',
  setInterval: 'timers are not global in k6 v0.49 (k6/timers from v0.50)',
  clearTimeout: 'timers are not global in k6 v0.49 (k6/timers from v0.50)',
  clearInterval: 'timers are not global in k6 v0.49 (k6/timers from v0.50)',
  setImmediate: 'Node global `setImmediate`: not in k6',
  queueMicrotask: '`queueMicrotask`: not in k6 v0.49',
  fetch: '`fetch()`: not in k6; use k6/http',
  Intl: '`Intl`: not in k6; format numbers and dates yourself',
  TextEncoder: '`TextEncoder`: not in k6 v0.49; use k6/encoding',
  TextDecoder: '`TextDecoder`: not in k6 v0.49; use k6/encoding',
  structuredClone: '`structuredClone`: not in k6; copy with JSON or by hand',
  atob: '`atob`: not in k6; use k6/encoding b64decode',
  btoa: '`btoa`: not in k6; use k6/encoding b64encode',
  URL: '`URL`: not global in k6 v0.49; build URLs as strings',
  URLSearchParams: '`URLSearchParams`: not global in k6 v0.49; build query strings yourself',
  performance: '`performance`: not in k6 v0.49; use Date.now()',
  crypto: '`crypto` global: not in k6 v0.49; import k6/crypto',
  window: 'browser global `window`: k6 has no DOM',
  document: 'browser global `document`: k6 has no DOM',
  navigator: 'browser global `navigator`: not in k6',
  self: 'browser global `self`: use globalThis',
  location: 'browser global `location`: not in k6',
  localStorage: 'browser global `localStorage`: not in k6',
  XMLHttpRequest: 'browser global `XMLHttpRequest`: use k6/http',
};

/**
 * Built-in methods newer than what k6 v0.49's engine has (ES2023+), flagged
 * where called. Each is undefined in a real k6 v0.49.0; `findLast` and
 * `findLastIndex` (ES2023) are defined there, so they are not listed.
 */
const NEW_METHODS: Record<string, string> = {
  toSorted: 'ES2023 `toSorted()`: use slice().sort()',
  toReversed: 'ES2023 `toReversed()`: use slice().reverse()',
  toSpliced: 'ES2023 `toSpliced()`: use slice() then splice()',
  groupBy: 'ES2024 `groupBy()`: group with a loop',
  fromAsync: 'ES2024 `Array.fromAsync()`: not in k6',
  withResolvers: 'ES2024 `Promise.withResolvers()`: not in k6',
  isWellFormed: 'ES2024 `isWellFormed()`: not in k6',
  toWellFormed: 'ES2024 `toWellFormed()`: not in k6',
};

const TARGET_FIX = 'set the esbuild target to es2017';

/** Lints one bundle (kind 'module') or one embedded cold part (kind 'script'). */
export function lintSource(code: string, file: string, kind: SourceKind = 'module', tolerated: Tolerated = {}): Finding[] {
  const at = (node: acorn.Node, message: string): Finding => ({ file, line: node.loc!.start.line, column: node.loc!.start.column + 1, message });
  // Ground truth: does an ES2017 parser accept it? A newer parse then names every newer construct;
  // what it cannot name (top-level await) is reported from the ES2017 parse's error.
  const es2017Error = parseError(() => acorn.parse(code, { ecmaVersion: 2017, sourceType: kind, locations: true }));
  let ast: acorn.Program;
  try {
    ast = acorn.parse(code, { ecmaVersion: 'latest', sourceType: kind, locations: true, ranges: true });
  } catch (e) {
    const err = e as ParseError;
    return [{ file, line: err.loc?.line ?? 1, column: (err.loc?.column ?? 0) + 1, message: `does not parse as a ${kind}: ${err.message}` }];
  }
  const findings = [...newerSyntax(ast, at), ...imports(ast, at, kind, file), ...globals(ast, at, kind, tolerated), ...newMethods(ast, at)];
  if (es2017Error && !findings.some((f) => f.message.includes(TARGET_FIX))) {
    findings.push({ file, line: es2017Error.loc?.line ?? 1, column: (es2017Error.loc?.column ?? 0) + 1, message: `not ES2017 (${es2017Error.message}): ${TARGET_FIX}` });
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

type ParseError = SyntaxError & { loc?: { line: number; column: number } };

function parseError(parse: () => unknown): ParseError | null {
  try {
    parse();
    return null;
  } catch (e) {
    return e as ParseError;
  }
}

type At = (node: acorn.Node, message: string) => Finding;

/** Constructs after ES2017 that esbuild's es2017 target would have lowered. */
function newerSyntax(ast: acorn.Program, at: At): Finding[] {
  const out: Finding[] = [];
  const flag = (node: acorn.Node, what: string) => out.push(at(node, `${what}: ${TARGET_FIX}`));
  walk.full(ast, (node) => {
    const n = node as acorn.AnyNode;
    switch (n.type) {
      case 'ChainExpression': flag(n, 'optional chaining (?.), ES2020'); break;
      case 'LogicalExpression': if (n.operator === '??') flag(n, 'nullish coalescing (??), ES2020'); break;
      case 'AssignmentExpression': if (['??=', '||=', '&&='].includes(n.operator)) flag(n, `logical assignment (${n.operator}), ES2021`); break;
      case 'Literal':
        if ('bigint' in n && n.bigint !== undefined) flag(n, 'BigInt literal, ES2020');
        else if (typeof n.value === 'number' && n.raw?.includes('_')) flag(n, 'numeric separator, ES2021');
        else if ('regex' in n && n.regex && /[sdv]/.test(n.regex.flags)) flag(n, `regular expression flag /${n.regex.flags}, after ES2017`);
        else if ('regex' in n && n.regex && /\(\?<[=!]|\(\?<[A-Za-z_$]|\\[pP]\{/.test(n.regex.pattern)) flag(n, 'regular expression lookbehind, named group or \\p{}, ES2018');
        break;
      case 'ObjectExpression': if (n.properties.some((p) => p.type === 'SpreadElement')) flag(n, 'object spread ({...x}), ES2018'); break;
      case 'ObjectPattern': if (n.properties.some((p) => p.type === 'RestElement')) flag(n, 'object rest ({...x} =), ES2018'); break;
      case 'ForOfStatement': if (n.await) flag(n, 'for await, ES2018'); break;
      case 'FunctionDeclaration': case 'FunctionExpression': if (n.async && n.generator) flag(n, 'async generator, ES2018'); break;
      case 'CatchClause': if (n.param === null) flag(n, 'catch without a binding, ES2019'); break;
      case 'PropertyDefinition': flag(n, n.key.type === 'PrivateIdentifier' ? 'private class field (#x), ES2022' : 'class field, ES2022'); break;
      // The walker skips non-computed keys, so private names are found on their parents.
      case 'MethodDefinition': if (n.key.type === 'PrivateIdentifier') flag(n, 'private method (#x), ES2022'); break;
      case 'MemberExpression': if (n.property.type === 'PrivateIdentifier') flag(n, 'private name (#x), ES2022'); break;
      case 'StaticBlock': flag(n, 'class static block, ES2022'); break;
      case 'ImportExpression': flag(n, 'dynamic import(), not in k6 v0.49'); break;
      case 'MetaProperty': if (n.meta.name === 'import') flag(n, 'import.meta, ES2020'); break;
    }
  });
  return out;
}

/**
 * Modules may import k6, k6/* and their own CommonJS body beside them
 * (build.mjs splitBundle: `./<name>.cjs` of dist/<name>.js); scripts may not
 * import at all (the parse already refuses).
 */
function imports(ast: acorn.Program, at: At, kind: SourceKind, file: string): Finding[] {
  if (kind === 'script') return [];
  const body = `./${basename(file).replace(/\.m?js$/, '')}.cjs`;
  const out: Finding[] = [];
  for (const node of ast.body) {
    const source = node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || (node.type === 'ExportNamedDeclaration' && node.source) ? node.source : null;
    const spec = source ? String(source.value) : null;
    if (spec !== null && !/^k6(\/|$)/.test(spec) && spec !== body) out.push(at(node, `import of '${spec}': bundle it (k6 resolves only k6, k6/* and the bundle's own ${body} here)`));
  }
  return out;
}

/**
 * Free references to FORBIDDEN_GLOBALS: what the global scope lets through
 * unresolved. A `typeof X` operand is no use of X, nor is a use guarded by a
 * test that names `typeof X` (papaparse's `typeof window < "u" ? window : ...`),
 * nor `require('k6/...')`, which k6 provides.
 */
function globals(ast: acorn.Program, at: At, kind: SourceKind, tolerated: Tolerated): Finding[] {
  const scopes = analyze(ast as unknown as ESTree.Program, { ecmaVersion: 2022, sourceType: kind });
  const free = new Set<acorn.Node>();
  for (const ref of scopes.globalScope!.through) {
    if (Object.hasOwn(FORBIDDEN_GLOBALS, ref.identifier.name)) free.add(ref.identifier as unknown as acorn.Node);
  }
  if (free.size === 0) return [];
  const uses: Array<{ node: acorn.Node; name: string }> = [];
  walk.fullAncestor(ast, (node, _state, ancestors) => {
    if (!free.has(node)) return;
    const name = (node as acorn.Identifier).name;
    const parent = ancestors[ancestors.length - 2] as acorn.AnyNode | undefined;
    if (parent?.type === 'UnaryExpression' && parent.operator === 'typeof') return;
    if (name === 'require' && parent?.type === 'CallExpression' && isK6Specifier(parent.arguments[0])) return;
    if (guardedByTypeof(name, ancestors)) return;
    uses.push({ node, name });
  });
  const countOf = (name: string) => uses.filter((u) => u.name === name).length;
  return uses
    .filter((u) => countOf(u.name) > (tolerated[u.name]?.count ?? 0))
    .map((u) => at(u.node, FORBIDDEN_GLOBALS[u.name]!));
}

function isK6Specifier(arg: acorn.Node | undefined): boolean {
  const a = arg as acorn.AnyNode | undefined;
  return a?.type === 'Literal' && typeof a.value === 'string' && /^k6(\/|$)/.test(a.value);
}

/** True when an enclosing condition (?:, if, &&, ||) tests `typeof name` and the node sits in a guarded branch. */
function guardedByTypeof(name: string, ancestors: acorn.Node[]): boolean {
  for (let i = ancestors.length - 2; i >= 0; i--) {
    const a = ancestors[i] as acorn.AnyNode;
    const child = ancestors[i + 1];
    const test = a.type === 'ConditionalExpression' || a.type === 'IfStatement' ? (child !== a.test ? a.test : null)
      : a.type === 'LogicalExpression' && a.operator !== '??' ? (child === a.right ? a.left : null)
        : null;
    if (test && testsTypeof(test, name)) return true;
  }
  return false;
}

function testsTypeof(test: acorn.Node, name: string): boolean {
  let found = false;
  walk.simple(test, {
    UnaryExpression(n) {
      if (n.operator === 'typeof' && n.argument.type === 'Identifier' && n.argument.name === name) found = true;
    },
  });
  return found;
}

/** Calls of ES2023+ built-in methods: `x.toSorted()`, `x["findLast"]()`. */
function newMethods(ast: acorn.Program, at: At): Finding[] {
  const out: Finding[] = [];
  walk.simple(ast, {
    CallExpression(n) {
      const callee = n.callee.type === 'ChainExpression' ? n.callee.expression : n.callee;
      if (callee.type !== 'MemberExpression') return;
      const p = callee.property;
      const name = !callee.computed && p.type === 'Identifier' ? p.name : p.type === 'Literal' && typeof p.value === 'string' ? p.value : null;
      if (name !== null && Object.hasOwn(NEW_METHODS, name)) out.push(at(callee.property, NEW_METHODS[name]!));
    },
  });
  return out;
}

/** The embedded cold parts (build.mjs's `sources`), as the scripts `new Function` compiles. */
export function lintColdParts(sources: Record<string, string>): Finding[] {
  return Object.entries(sources).flatMap(([name, src]) => lintSource(src, `cold:${name}`, 'script', COLD_PART_TOLERATED));
}

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.message}`;
}

/** Lints files as modules and, with `--cold`, build.mjs's embedded cold parts as scripts. Returns the exit code. */
export async function main(args: string[], log: (line: string) => void = console.log): Promise<number> {
  const cold = args.includes('--cold');
  const files = args.filter((a) => a !== '--cold');
  if (files.length === 0 && !cold) {
    log('usage: tsx tools/k6-lint.ts [--cold] dist/*.js dist/*.cjs');
    return 2;
  }
  // A .cjs is a bundle's body: a CommonJS script.
  const findings = files.flatMap((f) => lintSource(readFileSync(f, 'utf8'), f, f.endsWith('.cjs') ? 'script' : 'module'));
  if (cold) {
    const { build } = await import('../build.mjs');
    const { sources } = await build({ quiet: true, write: false });
    findings.push(...lintColdParts(sources));
  }
  for (const f of findings) log(formatFinding(f));
  log(findings.length ? `k6-lint: ${findings.length} finding(s)` : 'k6-lint: no findings');
  return findings.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: Error) => { console.error(`k6-lint: ${e.stack}`); process.exitCode = 2; });
}
