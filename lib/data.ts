// data/businesses.csv -> the parameter columns the routes read.
// Pure: no k6 import. Runs once per test (inside a SharedArray callback, in
// the cold init part), so papaparse is only ever compiled there, never in
// every VU.
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

/**
 * Parse and check every row, handing each business to `each` as it is read:
 * one pass, in 1 MB slices of the text, so no copy of all rows is ever held
 * (a 1M-row file is ~50 MB of text, and papaparse's rows for all of it
 * several times that in k6). The first bad row stops the run with its line
 * (header = line 1). Returns the number of businesses.
 */
export function eachBusiness(text: string, file: string, each: (id: string, ref: string) => void): number {
  if (text.trim() === '') throw new DataError(file, 'is empty (expected a header `id,sampleUnitRef` and one row per business)');
  let fields: string[] | null = null;
  let idAt = -1;
  let refAt = -1;
  let rows = 0;
  let lines = 1;
  // A value may hold a line break only when quoted; no sampleUnitRef holds one, so it is refused.
  const quoted = text.indexOf('"') >= 0;
  // papaparse streams a string in slices too (its StringStreamer), which
  // @types/papaparse declares for files only.
  const slices: Papa.ParseConfig<string[]> & { chunkSize: number; chunk: (results: Papa.ParseResult<string[]>) => void } = {
    delimiter: ',',
    chunkSize: 1 << 20,
    chunk: (results) => {
      const bad = results.errors[0];
      if (bad) throw new DataError(file, `line ${lines + (bad.row ?? 0)}: ${bad.message}`);
      // No iterators or helper calls per row: this runs for files of millions
      // of rows in k6's interpreter, where each costs about a microsecond.
      const data = results.data;
      for (let r = 0; r < data.length; r++) {
        const row = data[r]!;
        const line = lines++;
        if (row.length === 1 && row[0]!.trim() === '') continue; // blank line
        if (fields === null) {
          const header = row.map((h) => h.trim());
          idAt = header.indexOf('id');
          refAt = header.indexOf('sampleUnitRef');
          for (const [col, at] of [['id', idAt], ['sampleUnitRef', refAt]] as const) {
            if (at < 0) throw new DataError(file, `has no column \`${col}\` (found: ${header.join(', ') || 'none'}; expected header \`id,sampleUnitRef\`)`);
          }
          fields = header;
          continue;
        }
        rows++;
        if (row.length !== fields.length) {
          throw new DataError(file, `line ${line}: Too ${row.length > fields.length ? 'many' : 'few'} fields: expected ${fields.length} fields but parsed ${row.length}`);
        }
        const rawId = row[idAt]!;
        const id = rawId.length === 36 ? rawId : rawId.trim(); // a UUID without blanks is 36 long
        const ref = row[refAt]!.trim();
        if (!UUID_RE.test(id)) throw new DataError(file, `line ${line}: id ${JSON.stringify(id)} is not a UUID`);
        if (ref === '') throw new DataError(file, `line ${line}: sampleUnitRef is empty`);
        if (quoted && ref.indexOf('\n') >= 0) throw new DataError(file, `line ${line}: sampleUnitRef holds a line break`);
        each(id, ref);
      }
    },
  };
  Papa.parse<string[]>(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, slices);
  if (rows === 0) throw new DataError(file, 'has a header but no rows');
  return rows;
}

/** Every business's id and ref, in file order (Node tools; the k6 glue chunks them as it reads). */
export function parseBusinesses(text: string, file: string): Businesses {
  const ids: string[] = [];
  const refs: string[] = [];
  eachBusiness(text, file, (id, ref) => {
    ids.push(id);
    refs.push(ref);
  });
  return { ids, refs };
}
