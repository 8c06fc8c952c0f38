// What the two halves of a bundle share (build.mjs builds each scenario twice:
// lib/k6/zero.ts for __VU 0, lib/k6/vu.ts for the VUs that send the load).
import type { RunData } from '../writes.ts';
import type { Runtime } from '../cold/init.ts';

/** The SharedArrays __VU 0 fills in its first init context and every VU reads. */
export const RUNTIME_ARRAY = 'party-perf:runtime';
export const VU_RUNTIME_ARRAY = 'party-perf:vu-runtime';
/** The data file's rows in chunks (lib/params.ts). */
export const ROWS_ARRAY = 'party-perf:rows';

/**
 * The part of the runtime a VU uses. k6 parses a SharedArray element and
 * deep-freezes it in every VU that reads it, one call per key, so a VU reads
 * this instead of the whole runtime.
 */
export const VU_RUNTIME_KEYS = ['baseUrl', 'auth', 'readBase', 'timeoutMs', 'seed', 'validate', 'reads', 'runId', 'writeBases', 'bodies', 'spacing'] as const;
export type VuRuntime = Pick<Runtime, (typeof VU_RUNTIME_KEYS)[number]>;

/**
 * What each half exports for the other's functions (k6 only checks that the
 * exports are functions): __VU 0 runs no exec function, and the VUs run no
 * setup, teardown or handleSummary. Also the VUs' SharedArray callback:
 * __VU 0 has filled every array before any VU starts.
 */
export function otherHalf(): never {
  throw new Error('party-perf: k6 called a function of the other half of the bundle (__VU 0 runs setup, teardown and handleSummary; VUs 1..N the exec functions)');
}

type Exec = (data?: RunData) => void;

export interface Reads {
  query: () => void;
  id: () => void;
  ref: () => void;
}

export interface Writes {
  post_businesses: Exec;
  post_parties: Exec;
  patch_parties: Exec;
  put_link: Exec;
}

/** What a read bundle exports (k6 reads the options, the lifecycle functions and one exec function per route). */
export interface Suite extends Reads {
  options: object;
  setup: () => RunData | void;
  handleSummary: (data: object) => Record<string, string>;
}

/** What a bundle with write routes exports. */
export interface WritesSuite extends Suite, Writes {
  teardown: (data?: RunData) => void;
}
