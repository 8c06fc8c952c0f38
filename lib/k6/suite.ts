// What a scenario file calls: `suite(profile)` for the read bundles,
// `writesSuite(profile)` for the ones with write routes, and re-exports.
//
// build.mjs builds every scenario twice, resolving 'party-perf:half' once to
// lib/k6/zero.ts (__VU 0: the options, the shared data, setup, teardown,
// handleSummary) and once to lib/k6/vu.ts (VUs 1..N: the request path), and
// the bundle runs the first in __VU 0 and the second in every other VU. So a
// VU never creates a function it does not run: every function and object a
// VU creates costs it memory (docs/weight.md, "Weight per VU"). Each half exports
// the other's functions as a stub, since k6 checks that they are functions.
export { suite, writesSuite } from 'party-perf:half';
export type { Suite, WritesSuite } from './shared.ts';
