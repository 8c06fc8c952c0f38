// What response validation costs: time per body in Node (JSON.parse + the
// generated validator, and the validator alone), and the code a VU compiles
// for it when VALIDATE is on. Prints figures; asserts nothing (timing in
// tests would flake). goja (k6) is slower than V8: read these as relative.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { build } from '../build.mjs';
import { bodyError, VALIDATORS } from '../lib/validate.ts';
import type { BodyKind } from '../lib/routes.ts';

const SUMMARY = '{"associations":[],"id":"81a7d9b4-0b44-48e9-a2d5-422d7256cef6","name":"LOADTEST BUSINESS 1 TRADING LIMITED","sampleSummaryId":"5a000000-0000-4000-8000-000000000001","sampleUnitRef":"49900000001","sampleUnitType":"B","trading_as":"LT1 STORES"}';
const ATTRS = '{"birthdate":"01/09/1993","cell_no":1,"checkletter":"B","currency":"S","entname1":"ENTERPRISE 1","entname2":"","entname3":"","entref":"9900000001","entremkr":"E","formType":"0001","formtype":"0001","froempment":1,"frosic2007":"45320","frosic92":"50300","frotover":37,"inclexcl":"D","legalstatus":"2","name":"LOADTEST BUSINESS 1 TRADING LIMITED","region":"BA","runame1":"LOADTEST BUSINESS 1","runame2":"TRADING","runame3":"LIMITED","ruref":"49900000001","rusic2007":"45320","rusic92":"50300","seltype":"P","trading_as":"LT1 STORES","tradstyle1":"LT1 STORES","tradstyle2":"","tradstyle3":""}';
const PARTY = SUMMARY.replace('"id":', `"attributes":${ATTRS},"id":`);
const WRITTEN = PARTY.replace('"associations":[],', '');
const bodies: Array<[BodyKind, string]> = [['summary', SUMMARY], ['list', `[${SUMMARY}]`], ['party', PARTY], ['written', WRITTEN]];

const N = 200_000;
const perCallUs = (fn: () => void): number => {
  for (let i = 0; i < 20_000; i++) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn();
  return Number(process.hrtime.bigint() - t0) / N / 1000;
};

console.log('time per body (Node, microseconds)       parse+validate  validate only  JSON.parse only');
for (const [kind, body] of bodies) {
  if (bodyError(kind, body) !== null) throw new Error(`${kind}: the sample body does not validate`);
  const data = JSON.parse(body);
  const v = VALIDATORS[kind];
  const both = perCallUs(() => { bodyError(kind, body); });
  const only = perCallUs(() => { v(data); });
  const parse = perCallUs(() => { JSON.parse(body); });
  console.log(`  ${kind.padEnd(8)} ${String(body.length).padStart(5)} bytes                ${both.toFixed(2).padStart(8)}  ${only.toFixed(2).padStart(13)}  ${parse.toFixed(2).padStart(15)}`);
}

// Weight per VU: the validators are a cold part, compiled in a VU only when
// VALIDATE is on. The bundle's "compiled per VU" figure excludes it, so show
// both, and the validators as esbuild would print them eagerly (the measure
// test/bundle.test.ts uses for its budget).
const { bundles, sources } = await build({ quiet: true, write: false });
const generated = readFileSync(new URL('../lib/generated/validate-bodies.js', import.meta.url), 'utf8');
const eager = await esbuild.build({
  stdin: { contents: `export { bodyError } from './lib/validate.ts';`, resolveDir: new URL('..', import.meta.url).pathname, loader: 'ts' },
  bundle: true, write: false, format: 'esm', target: 'es2017', platform: 'neutral',
});
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(`\nvalidators: generated module ${kb(generated.length)}; cold part (minified, compiled per VU when VALIDATE=true) ${kb((sources as Record<string, string>).validate!.length)}; same code unminified ${kb(eager.outputFiles[0]!.text.length)}`);
for (const b of bundles) {
  console.log(`  ${b.file.padEnd(20)} compiled per VU: ${kb(b.eager)} with VALIDATE=false, ${kb(b.eager)} + ${kb((sources as Record<string, string>).validate!.length)} minified validators with VALIDATE=true`);
}
