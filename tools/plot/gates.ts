// The gates a run was judged by, from the summary.json `npm start` writes
// beside its raw output: the graph is read against the same p95 and success
// rate as the run, not a guess.

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ReadOptions } from './words.ts';

export const DEFAULT_SLO_MS = 1000;
export const DEFAULT_SUCCESS_RATE = 0.99;

/** What summary.json beside `input` says (each field only when present and sane); {} when there is none. */
export async function gatesBeside(input: string): Promise<Partial<ReadOptions>> {
  let summary: unknown;
  try {
    summary = JSON.parse(await readFile(join(dirname(input), 'summary.json'), 'utf8'));
  } catch {
    return {};
  }
  const s = (summary ?? {}) as { gates?: { p95Ms?: unknown; successRate?: unknown } | null; profile?: unknown };
  const out: Partial<ReadOptions> = {};
  const p95 = s.gates?.p95Ms;
  const rate = s.gates?.successRate;
  // A gate switched off (null) leaves the default.
  if (typeof p95 === 'number' && p95 > 0) out.sloMs = p95;
  if (typeof rate === 'number' && rate >= 0 && rate <= 1) out.successRate = rate;
  if (typeof s.profile === 'string' && s.profile !== '') out.profile = s.profile;
  return out;
}

/** Options first, then summary.json beside the first input, then 1000 ms and 99 %. */
export async function readOptions(input: string, given: Partial<ReadOptions>): Promise<ReadOptions> {
  const need = given.sloMs === undefined || given.successRate === undefined || given.profile === undefined;
  const beside = need ? await gatesBeside(input) : {};
  const profile = given.profile ?? beside.profile;
  return {
    sloMs: given.sloMs ?? beside.sloMs ?? DEFAULT_SLO_MS,
    successRate: given.successRate ?? beside.successRate ?? DEFAULT_SUCCESS_RATE,
    ...(profile !== undefined ? { profile } : {}),
  };
}
