// npm run bench: every bench/*.bench.ts in turn. Each prints its figures;
// none asserts a time (timing belongs here, not in tests that could flake).
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
// Real runs of 15 to 30 minutes: only when named (npm run bench -- soak).
const LONG = ['onset.bench.ts', 'soak.bench.ts'];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && (only.length === 0 ? !LONG.includes(f) : only.some((o) => f.includes(o))))
  .sort();
if (only.length === 0) console.log(`(not run: ${LONG.join(', ')}; name it to run it, e.g. npm run bench -- soak)`);
let failed = 0;
for (const f of files) {
  console.log(`\n== ${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, f)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
if (failed) {
  console.error(`\n${failed} benchmark(s) failed`);
  process.exit(1);
}
