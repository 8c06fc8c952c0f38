// Read summary.json files and check them against the schema the suite writes
// (data/schemas/summary.schema.json). Every error names the file: with
// several inputs "invalid summary" alone would not say which one.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { SUMMARY_VERSION, type SummaryModel } from '../../lib/summary/model.ts';
import type { Run } from './diff.ts';
import { CompareError } from './errors.ts';
import { upgrade } from './upgrade.ts';

const SCHEMA_URL = new URL('../../data/schemas/summary.schema.json', import.meta.url);
/** How many schema errors to show: the first few locate the problem, the rest is noise. */
export const MAX_ERRORS = 5;

let compiled: ValidateFunction | null = null;

/**
 * The schema's `summary` branch, not its root: the root is oneOf(summary,
 * failure) and ajv's oneOf errors would list both branches' complaints.
 */
function validator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as { $id?: string };
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(schema);
  const v = ajv.getSchema(`${schema.$id ?? ''}#/definitions/summary`);
  if (!v) throw new Error(`${SCHEMA_URL.pathname}: no definitions/summary`);
  compiled = v;
  return v;
}

export function formatErrors(errors: ErrorObject[] | null | undefined, max = MAX_ERRORS): string[] {
  const list = errors ?? [];
  const lines = list.slice(0, max).map((e) => {
    const p = e.params as Record<string, unknown>;
    const extra = p.additionalProperty !== undefined ? ` '${String(p.additionalProperty)}'`
      : p.allowedValue !== undefined ? ` ${JSON.stringify(p.allowedValue)}`
        : p.allowedValues !== undefined ? ` ${JSON.stringify(p.allowedValues)}` : '';
    return `  at ${e.instancePath || '/'}: ${e.message ?? e.keyword}${extra}`;
  });
  if (list.length > max) lines.push(`  ... and ${list.length - max} more`);
  return lines;
}

/** A parsed document -> the model, or a CompareError naming `file`. */
export function checkSummary(doc: unknown, file: string): SummaryModel {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new CompareError(`${file}: not a party-perf summary.json (expected a JSON object)`);
  }
  const d = doc as Record<string, unknown>;
  if (typeof d.error === 'string' && !('scenarios' in d)) {
    throw new CompareError(`${file}: the run could not build its summary model, nothing to compare (its error: ${d.error})`);
  }
  if (typeof d.version !== 'number') {
    throw new CompareError(`${file}: no summary model version: not a party-perf summary.json, or one written before versions (this tool reads v${SUMMARY_VERSION})`);
  }
  if (d.version < 1) {
    throw new CompareError(`${file}: summary model v${d.version} is older than the v1 to v${SUMMARY_VERSION} this tool reads; re-run the test (or compare with the party-perf version that wrote it)`);
  }
  if (d.version > SUMMARY_VERSION) {
    throw new CompareError(`${file}: summary model v${d.version} is newer than the v${SUMMARY_VERSION} this tool reads; update party-perf`);
  }
  // Read as written, then in the current shape (v1: notScheduled 0, no
  // statuses; v1 and v2: no schedule lag, the verdict judged from drops alone).
  doc = upgrade(d);
  const validate = validator();
  if (!validate(doc)) {
    throw new CompareError([`${file}: not a valid summary.json (schema data/schemas/summary.schema.json):`, ...formatErrors(validate.errors)].join('\n'));
  }
  return doc as SummaryModel;
}

export function loadRun(file: string): Run {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CompareError(code === 'ENOENT' ? `${file}: file not found` : `${file}: cannot read (${code ?? (e as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CompareError(`${file}: not JSON (${(e as Error).message})`);
  }
  const model = checkSummary(doc, file);
  const written = (doc as { version: number }).version;
  return written < model.version ? { file, model, upgradedFrom: written } : { file, model };
}
