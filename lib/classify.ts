// Sorting one answer into the report's columns. Pure: no k6 import.
//
// k6 gives `status 0` and an `error_code` when no answer arrived (see
// test/fixtures/k6-v0.49/README.md): 1000 EOF (closed), 1050 request
// timeout, 1211 dial timeout, 1212 refused, 1220 reset. HTTP error statuses
// carry 1000 + status, so only status 0 needs the error code.
//
// `invalid` is an answer with the expected status whose body does not match
// the route's schema (lib/validate.ts): never a success. It is last so the
// indices of the older classes (used by stored plot data) do not move.

export const CLASSES = ['success', 'no_response', 'not_found', 'server_error', 'other', 'invalid'] as const;
export type ResponseClass = (typeof CLASSES)[number];

export const CAUSES = ['refused', 'reset', 'closed', 'timeout', 'other'] as const;
export type NoResponseCause = (typeof CAUSES)[number];

/** Column headers as the report prints them. */
export const CLASS_LABELS: Record<ResponseClass, string> = {
  success: 'Success (200)',
  no_response: 'No Response',
  not_found: '404',
  server_error: '500',
  other: 'Other',
  invalid: 'Invalid body',
};

export interface Outcome {
  class: ResponseClass;
  /** Only for `no_response`. */
  cause?: NoResponseCause;
}

/** Tags for the response counter; frozen and shared so the hot path allocates nothing. */
export type OutcomeTags = Readonly<{ class: ResponseClass; cause?: NoResponseCause }>;

export const SUCCESS: OutcomeTags = Object.freeze({ class: 'success' });
/** An expected status with a body that fails its schema; the glue swaps SUCCESS for it. */
export const INVALID: OutcomeTags = Object.freeze({ class: 'invalid' });
// The failure tags are made on a VU's first failure of each kind, and then
// shared. One function in all: every function a VU keeps costs it about
// 0.7 KB (docs/weight.md, "Weight per VU").
const failures: Record<string, OutcomeTags> = {};

/**
 * Class of one answer. `expected` is the route's success status: any other
 * 2xx/3xx, 4xx but 404, lands in `other`. A status 0 is no response, its
 * cause from k6's error_code.
 */
export function classify(status: number, errorCode: number, expected = 200): OutcomeTags {
  if (status === expected) return SUCCESS;
  if (status === 0) {
    let cause: NoResponseCause;
    switch (errorCode) {
      case 1212: cause = 'refused'; break;
      case 1220: cause = 'reset'; break;
      case 1000: cause = 'closed'; break;
      case 1050: case 1211: cause = 'timeout'; break;
      default: cause = 'other';
    }
    const key = `no_response:${cause}`;
    return failures[key] || (failures[key] = Object.freeze({ class: 'no_response', cause }));
  }
  const c: ResponseClass = status === 404 ? 'not_found' : status >= 500 ? 'server_error' : 'other';
  return failures[c] || (failures[c] = Object.freeze({ class: c }));
}
