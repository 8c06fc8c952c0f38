// Colours and labels shared by the legend and the panels.

import { CLASS_LABELS, CLASSES } from '../../lib/classify.ts';
import type { ResponseClass } from '../../lib/classify.ts';

/** Failures in warm, saturated colours so they stand out from the blue successes. */
export const CLASS_COLOURS: Record<ResponseClass, string> = {
  success: '#3a6fb0',
  no_response: '#7b2cbf',
  not_found: '#f08c00',
  server_error: '#d62828',
  other: '#138a72',
  invalid: '#8d5a2b',
};

/** The classes the raw output can show; later ones (e.g. `invalid`, decided from bodies) appear only when present. */
export const CORE_CLASSES: readonly ResponseClass[] = ['success', 'no_response', 'not_found', 'server_error', 'other'];

export const MEDIAN_COLOUR = '#111111';
export const P95_COLOUR = '#111111';

export function classLabel(c: ResponseClass): string {
  return CLASS_LABELS[c];
}

export const CLASS_ORDER = CLASSES;
