// The module build.mjs resolves once per half of a bundle: lib/k6/zero.ts in
// the __VU 0 build, lib/k6/vu.ts in the VUs' build (see lib/k6/suite.ts).
declare module 'party-perf:half' {
  import type { Suite, WritesSuite } from './shared.ts';
  export function suite(profile: string): Suite;
  export function writesSuite(profile: string): WritesSuite;
}
