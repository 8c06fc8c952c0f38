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

const tags = (c: ResponseClass, cause?: NoResponseCause): OutcomeTags =>
  Object.freeze(cause ? { class: c, cause } : { class: c });

export const SUCCESS: OutcomeTags = tags('success');
/** An expected status with a body that fails its schema; the glue swaps SUCCESS for it. */
export const INVALID: OutcomeTags = tags('invalid');
// The failure tags are built on a VU's first failure: every VU runs this
// module's top level, and most never see one.
let failures: { notFound: OutcomeTags; serverError: OutcomeTags; other: OutcomeTags; noResponse: Record<NoResponseCause, OutcomeTags> } | undefined;
const failureTags = () => failures || (failures = {
  notFound: tags('not_found'),
  serverError: tags('server_error'),
  other: tags('other'),
  noResponse: {
    refused: tags('no_response', 'refused'),
    reset: tags('no_response', 'reset'),
    closed: tags('no_response', 'closed'),
    timeout: tags('no_response', 'timeout'),
    other: tags('no_response', 'other'),
  },
});

export function causeOf(errorCode: number): NoResponseCause {
  switch (errorCode) {
    case 1212: return 'refused';
    case 1220: return 'reset';
    case 1000: return 'closed';
    case 1050: case 1211: return 'timeout';
    default: return 'other';
  }
}

/**
 * Class of one answer. `expected` is the route's success status: any other
 * 2xx/3xx, 4xx but 404, lands in `other`.
 */
export function classify(status: number, errorCode: number, expected = 200): OutcomeTags {
  if (status === expected) return SUCCESS;
  const f = failureTags();
  if (status === 0) return f.noResponse[causeOf(errorCode)];
  if (status === 404) return f.notFound;
  if (status >= 500) return f.serverError;
  return f.other;
}
