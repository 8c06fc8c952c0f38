// data/businesses.csv -> the parameter columns the routes read.
// Pure: no k6 import. Runs once per test (inside a SharedArray callback), so
// papaparse is only ever compiled there, never in every VU.
import Papa from 'papaparse';

export interface Businesses {
  ids: string[];
  refs: string[];
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIX = 'Seed a target with `npm run seed` (it writes this file), or see data/README.md.';

export class DataError extends Error {
  constructor(file: string, problem: string) {
    super(`party-perf: data file ${file}: ${problem}. ${FIX}`);
    this.name = 'DataError';
  }
}

/** Parse and check every row; the first bad row stops the run with its line. */
export function parseBusinesses(text: string, file: string): Businesses {
  if (text.trim() === '') throw new DataError(file, 'is empty (expected a header `id,sampleUnitRef` and one row per business)');
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: true,
    transformHeader: (h) => h.trim(),
  });
  const fields = parsed.meta.fields ?? [];
  for (const col of ['id', 'sampleUnitRef']) {
    if (!fields.includes(col)) {
      throw new DataError(file, `has no column \`${col}\` (found: ${fields.join(', ') || 'none'}; expected header \`id,sampleUnitRef\`)`);
    }
  }
  const bad = parsed.errors[0];
  if (bad) throw new DataError(file, `line ${(bad.row ?? 0) + 2}: ${bad.message}`);
  const ids: string[] = [];
  const refs: string[] = [];
  parsed.data.forEach((row, i) => {
    const line = i + 2; // header is line 1
    const id = (row.id ?? '').trim();
    const ref = (row.sampleUnitRef ?? '').trim();
    if (!UUID_RE.test(id)) throw new DataError(file, `line ${line}: id ${JSON.stringify(id)} is not a UUID`);
    if (ref === '') throw new DataError(file, `line ${line}: sampleUnitRef is empty`);
    ids.push(id);
    refs.push(ref);
  });
  if (ids.length === 0) throw new DataError(file, 'has a header but no rows');
  return { ids, refs };
}
