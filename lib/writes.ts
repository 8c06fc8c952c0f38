// What the write routes send. Pure: no k6 import.
//
// Every write creates a business of its own, so writes never touch (or make
// heavier) the seeded businesses the reads use. Its ref comes from the run id
// (one per test, see lib/k6/zero.ts) and a sequence number unique in the
// test: the scenario's base (the counts of the write scenarios planned before
// it) plus k6's exec.scenario.iterationInTest, which k6 keeps unique across
// VUs and across instances of a distributed run (execution segments).
// Everything a run writes sits under a sampleSummaryId of its own, so one
// DELETE removes it (teardown).
import type { Plan } from './plan.ts';
import { DELETE_SAMPLE_PREFIX, isWrite } from './routes.ts';
import { maskCredentials } from './summary/redact.ts';

/** Refs look like the service's 11-digit rurefs: '8' + 5-digit run id + 5-digit sequence. */
export const REF_PREFIX = '8';
export const RUN_ID_DIGITS = 5;
export const SEQ_DIGITS = 5;
// Literals, not expressions, so bundles that do not use them drop them.
export const REF_LENGTH = 11;
/** Run ids are 0 .. MAX_RUN_ID - 1 (10 ** RUN_ID_DIGITS). */
export const MAX_RUN_ID = 100_000;
/** A run writes at most this many businesses, 10 ** SEQ_DIGITS (every planned write request creates or upserts one). */
export const MAX_WRITES_PER_RUN = 100_000;

/** What setup() hands every VU (and teardown): the one run id of the test, on every instance. */
export interface RunData {
  runId: number;
}

/** The run id setup() handed over, or `own` (this instance's) when there is none. */
export const runIdOf = (data: RunData | undefined, own: number): number => (data && typeof data.runId === 'number' ? data.runId : own);

const pad = (n: number, width: number): string => {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
};

/** A run id from a number in [0, 1) (Math.random in the first init context). */
export function runIdFrom(random: number): number {
  return Math.floor(random * MAX_RUN_ID) % MAX_RUN_ID;
}

/**
 * The ref of write number `seq` of run `runId`. Distinct (run, seq) pairs give
 * distinct refs; within capacity (seq < MAX_WRITES_PER_RUN) every ref is 11
 * digits and starts with 8, never in the seeded range (499...).
 */
export function writeRef(runId: number, seq: number): string {
  return REF_PREFIX + pad(runId, RUN_ID_DIGITS) + pad(seq, SEQ_DIGITS);
}

// The run's ids are valid v4-shaped UUIDs whose last group is the run id in
// decimal, so a person can tell which run wrote what (and clean it by hand).
/** The sampleSummaryId every business of the run is written under. */
export function runSampleSummaryId(runId: number): string {
  return `5a7e0000-0000-4000-8000-${pad(runId, 12)}`;
}

/** The collection exercise put_link links the run's sample to. */
export function runCollectionExerciseId(runId: number): string {
  return `ce7e0000-0000-4000-8000-${pad(runId, 12)}`;
}

/** Body of PUT /businesses/sample/link/<sampleSummaryId>. */
export function linkBody(runId: number): string {
  return JSON.stringify({ collectionExerciseId: runCollectionExerciseId(runId) });
}

/**
 * Sequence base per write scenario (scenario name -> first sequence number):
 * the counts of the write scenarios before it, in plan order. A scenario
 * fires exactly `count` iterations (lib/plan.ts), so the ranges never overlap.
 */
export function writeBases(plan: Plan): Record<string, number> {
  const bases: Record<string, number> = {};
  let next = 0;
  for (const s of plan.scenarios) {
    if (!isWrite(s.route)) continue;
    bases[s.name] = next;
    next += s.count;
  }
  return bases;
}

/** Write requests a plan sends. */
export function plannedWrites(plan: Plan): number {
  return plan.scenarios.reduce((n, s) => n + (isWrite(s.route) ? s.count : 0), 0);
}

// ---- bodies ---------------------------------------------------------------

/** data/templates/business.json: the flat POST /businesses body with `{ref}` and `{sampleSummaryId}` placeholders. */
export type Template = Record<string, string | number>;

export const REF_PLACEHOLDER = '{ref}';
export const SAMPLE_PLACEHOLDER = '{sampleSummaryId}';
/** Keys the service requires (ras-party's party_schema.json plus the README's rules). */
export const REQUIRED_KEYS = ['sampleUnitRef', 'sampleUnitType', 'sampleSummaryId', 'runame1', 'runame2', 'runame3', 'tradstyle1', 'tradstyle2', 'tradstyle3'] as const;
/** Attributes the service types as integers (else 400). */
export const INTEGER_KEYS = ['froempment', 'frotover', 'cell_no'] as const;
/** Top-level keys of POST/PATCH /parties; every other key goes under `attributes`. */
const PARTY_KEYS = new Set(['sampleUnitRef', 'sampleUnitType', 'sampleSummaryId']);
/** Splits a serialised body where the ref goes; never appears in a template (checked). */
const MARK = '@@ref@@';

/** Why a template cannot make valid bodies; [] when it can. */
export function templateProblems(t: unknown, file = 'data/templates/business.json'): string[] {
  if (t === null || typeof t !== 'object' || Array.isArray(t)) return [`${file}: expected a JSON object (the flat POST /businesses body)`];
  const o = t as Record<string, unknown>;
  const out: string[] = [];
  for (const k of REQUIRED_KEYS) if (!(k in o)) out.push(`${file}: key ${k} is missing (the service requires it${k.startsWith('tradstyle') ? ': without it, it answers 500' : ''})`);
  for (const k of INTEGER_KEYS) if (k in o && !Number.isInteger(o[k])) out.push(`${file}: ${k} must be an integer (the service answers 400 otherwise), got ${JSON.stringify(o[k])}`);
  for (const [k, v] of Object.entries(o)) {
    if (!(INTEGER_KEYS as readonly string[]).includes(k) && typeof v !== 'string') out.push(`${file}: ${k} must be a string, got ${JSON.stringify(v)}`);
    if (typeof v === 'string' && v.includes('@@')) out.push(`${file}: ${k}: '@@' is reserved`);
  }
  if (o.sampleUnitType !== undefined && o.sampleUnitType !== 'B') out.push(`${file}: sampleUnitType must be "B" (POST /parties refuses any other type)`);
  if (typeof o.sampleUnitRef === 'string' && !o.sampleUnitRef.includes(REF_PLACEHOLDER)) out.push(`${file}: sampleUnitRef must contain ${REF_PLACEHOLDER}: every write creates its own business`);
  if (o.sampleSummaryId !== undefined && o.sampleSummaryId !== SAMPLE_PLACEHOLDER) out.push(`${file}: sampleSummaryId must be "${SAMPLE_PLACEHOLDER}": the run writes under a sample of its own`);
  return out;
}

function fill(t: Template, ref: string, sampleSummaryId: string): Template {
  const o: Template = {};
  for (const [k, v] of Object.entries(t)) {
    o[k] = typeof v === 'string' ? v.split(REF_PLACEHOLDER).join(ref).split(SAMPLE_PLACEHOLDER).join(sampleSummaryId) : v;
  }
  return o;
}

/** POST /businesses: the flat body. */
export function flatBody(t: Template, ref: string, sampleSummaryId: string): Template {
  return fill(t, ref, sampleSummaryId);
}

/** POST and PATCH /parties: the same fields, the attributes nested under `attributes`. */
export function partyBody(t: Template, ref: string, sampleSummaryId: string): Record<string, unknown> {
  const flat = fill(t, ref, sampleSummaryId);
  const out: Record<string, unknown> = {};
  const attributes: Template = {};
  for (const [k, v] of Object.entries(flat)) {
    if (PARTY_KEYS.has(k)) out[k] = v;
    else attributes[k] = v;
  }
  out.attributes = attributes;
  return out;
}

/**
 * A body serialised once, cut where the ref goes (the `{sampleSummaryId}`
 * placeholder is left in). The cold init part computes these; an iteration
 * only joins the pieces around its ref (a ref is digits: no JSON escaping).
 */
export function bodyParts(t: Template, shape: 'flat' | 'party'): string[] {
  const body = shape === 'flat' ? flatBody(t, MARK, SAMPLE_PLACEHOLDER) : partyBody(t, MARK, SAMPLE_PLACEHOLDER);
  return JSON.stringify(body).split(MARK);
}

/** The pieces with the run's sampleSummaryId in (once per VU and run). */
export function withSample(parts: readonly string[], sampleSummaryId: string): string[] {
  return parts.map((p) => p.split(SAMPLE_PLACEHOLDER).join(sampleSummaryId));
}

/** The serialised body as a function of the ref: what an iteration sends. */
export function bodyMaker(t: Template, shape: 'flat' | 'party', sampleSummaryId: string): (ref: string) => string {
  const parts = withSample(bodyParts(t, shape), sampleSummaryId);
  return (ref) => parts.join(ref);
}

/** What teardown logs for the DELETE's answer; `ok` picks console.log or console.warn. */
export function teardownMessage(runId: number, url: string, a: { status: number; error: string; body: string }): { ok: boolean; line: string } {
  const what = `the attributes this run wrote (run ${runId}, sampleSummaryId ${runSampleSummaryId(runId)})`;
  if (a.status >= 200 && a.status < 300) return { ok: true, line: `party-perf: teardown removed ${what}: DELETE answered ${a.status}` };
  // 404 (Flask's "The requested URL was not found") or 405: the service has no
  // such route (1.13.0 lacks it), so a curl of the same URL would not help either.
  if (a.status === 404 || a.status === 405) {
    return {
      ok: false,
      line: `party-perf: teardown could not remove ${what}: this target has no route DELETE ${DELETE_SAMPLE_PREFIX}<sampleSummaryId> ` +
        `(it answered ${a.status}; older party services, e.g. 1.13.0, lack it). They stay in its database; to remove them there: ` +
        `DELETE FROM partysvc.business_attributes WHERE sample_summary_id = '${runSampleSummaryId(runId)}';`,
    };
  }
  const why = a.status === 0 ? `no answer (${a.error || 'no response'})` : `DELETE answered ${a.status} ${a.body.slice(0, 200)}`.replace(/\s+$/, '');
  return { ok: false, line: `party-perf: teardown could not remove ${what}: ${why}. Remove them by hand: curl -u "$PARTY_USER:$PARTY_PASSWORD" -X DELETE ${maskCredentials(url)}` };
}
