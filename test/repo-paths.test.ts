// A user's clone has nothing beside it: no file of the repository may name a
// path outside it (the sibling shared folder of our machines, or our absolute
// paths). Checks every tracked file, and new files not yet committed, and
// that CI runs the tests from a clone with nothing beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo } from './helpers/k6.ts';

// Spelled in pieces so that this file does not match itself.
const OUTSIDE = [['..', 'shared'].join('/'), ['', 'work', ''].join('/')];

/** `file:line: text` for each line of `text` that names a path in OUTSIDE. */
function outsidePaths(file: string, text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (OUTSIDE.some((p) => line.includes(p))) out.push(`${file}:${i + 1}: ${line.trim().slice(0, 160)}`);
  });
  return out;
}

function repoFiles(): string[] | null {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

test('the check names the file and line of each outside path', () => {
  const text = `ok\nconst a = '${OUTSIDE[0]}/x.json';\nfine\nFIXTURES = '${OUTSIDE[1]}shared/k6'`;
  assert.deepEqual(outsidePaths('t.ts', text).map((l) => l.split(': ')[0]), ['t.ts:2', 't.ts:4']);
  assert.deepEqual(outsidePaths('t.ts', 'test/fixtures/k6-v0.49/README.md and ../data/x.csv'), []);
});

test('no file of the repository names a path outside it', (t) => {
  const files = repoFiles();
  if (files === null) return t.skip('not a git checkout: git ls-files lists nothing');
  assert.ok(files.includes('package.json') && files.includes('test/repo-paths.test.ts'), 'git ls-files lists the repository');
  const found: string[] = [];
  for (const file of files) {
    let buf: Buffer;
    try {
      buf = readFileSync(join(repo, file));
    } catch {
      continue; // listed but deleted in the work tree
    }
    if (buf.includes(0)) continue; // binary (gzip fixtures)
    found.push(...outsidePaths(file, buf.toString('utf8')));
  }
  assert.deepEqual(found, [], `paths outside the repository:\n${found.join('\n')}`);
});

test('.ci/run runs the README install and test commands inside a clone alone in an empty folder', () => {
  const script = readFileSync(join(repo, '.ci/run'), 'utf8');
  assert.equal(spawnSync('bash', ['-n', join(repo, '.ci/run')]).status, 0, '.ci/run parses');
  const lines = script.split('\n').map((l) => l.trim());
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
  const clone = at(/^git clone -q \. "\$tmp\/party-perf"$/);
  const alone = at(/^\[ "\$\(ls -A "\$tmp"\)" = party-perf \]/);
  const into = at(/^cd "\$tmp\/party-perf"$/);
  const install = at(/^\$install_cmd$/);
  const tests = at(/^\$test_cmd$/);
  assert.ok(at(/^tmp=\$\(mktemp -d\)$/) >= 0 && clone > 0, 'clones the checkout into a fresh temporary folder');
  assert.ok(clone < alone && alone < into && into < install && install < tests, 'checks the folder holds only the clone, then installs and tests there');
  assert.ok(lines.includes("install_cmd='npm ci'") && lines.includes("test_cmd='npm test'"));
});
