// data/businesses.csv -> the parameter columns the routes read.
// Pure: no k6 import. Runs once per test (inside a SharedArray callback, in
// the cold init part), so papaparse is only ever compiled there, never in
// every VU.
import Papa from 'papaparse';
import { JOIN } from './params.ts';

export interface Businesses {
  ids: string[];
  refs: string[];
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const UUID_RE = new RegExp(`^${UUID}$`, 'i');
/** URL unreserved characters (RFC 3986): a value of these alone needs no encoding. */
const UNRESERVED_CHAR = '[A-Za-z0-9_.~-]';
const UNRESERVED = new RegExp(`^${UNRESERVED_CHAR}*$`);
const FIX = 'Seed a target with `npm run seed` (it writes this file), or see data/README.md.';

export class DataError extends Error {
  constructor(file: string, problem: string) {
    super(`party-perf: data file ${file}: ${problem}. ${FIX}`);
    this.name = 'DataError';
  }
}

/**
 * Rows as `npm run seed` writes them: `<uuid>,<ref>`, each line ended by LF
 * or CRLF, refs of URL unreserved characters only. Tested on blocks of
 * lines, not the whole text: V8's backtracking runs out of stack on a
 * million repetitions (k6's RE2 would not).
 */
const CANONICAL_ROWS = new RegExp(`^(?:${UUID},${UNRESERVED_CHAR}+\\r?\\n)+$`, 'i');
const HEADER = /^id,sampleUnitRef\r?\n/;
const BLOCK = 1 << 16;
/** Rows per batch on the general path. */
const BATCH = 4096;

/** The end of the block of lines from `start`: just past the first LF at or after start + BLOCK. */
const blockEnd = (text: string, start: number): number => text.indexOf('\n', Math.min(start + BLOCK, text.length - 1)) + 1;

/**
 * Whether a file is canonical: the header `id,sampleUnitRef`, then at least
 * one row, all canonical (`CANONICAL_ROWS`), the last line ended too. One
 * native test per 64 KB block stands for every per-row check of the general
 * path (about 0.8 s for 1M rows in k6); any other file takes the general path.
 */
export function isCanonical(text: string): boolean {
  if (text.charCodeAt(text.length - 1) !== 10 || !HEADER.test(text)) return false;
  let start = text.indexOf('\n') + 1;
  if (start >= text.length) return false;
  while (start < text.length) {
    const end = blockEnd(text, start);
    if (!CANONICAL_ROWS.test(text.slice(start, end))) return false;
    start = end;
  }
  return true;
}

/**
 * Every row of a canonical file as `<id>","<ref>`, a block of lines at a
 * time, with native splits and joins only: k6's interpreter pays about 2 us
 * per row for any per-row JS (4 s for 1M rows with a slice per value and a
 * push per row), this about 0.7 s. The canonical test has made sure that a
 * line holds one comma and a CR only before its LF.
 */
function canonicalRows(text: string, batch: (rows: string[]) => void): number {
  let rows = 0;
  let start = text.indexOf('\n') + 1; // past the header
  while (start < text.length) {
    const end = blockEnd(text, start);
    let lines = text.slice(start, end - 1);
    if (lines.indexOf('\r') >= 0) lines = lines.split('\r').join('');
    const block = lines.split(',').join(JOIN).split('\n');
    rows += block.length;
    batch(block);
    start = end;
  }
  return rows;
}

/**
 * A value as a URL path or query takes it, encoded once here so no VU
 * encodes: most need no encoding, so test first (a 1M-row file would
 * otherwise make 1M new strings).
 */
const urlSafe = (v: string): string => (UNRESERVED.test(v) ? v : encodeURIComponent(v));

/**
 * Every business as the VUs read it: a row `<id>","<ref>` (lib/params.ts),
 * the ref URL-encoded where it needs it, handed over in batches of rows.
 * A canonical file (as `npm run seed` writes it) takes the native path,
 * any other the general one (eachBusiness). Returns the number of rows.
 */
export function businessRows(text: string, file: string, batch: (rows: string[]) => void): number {
  if (isCanonical(text)) return canonicalRows(text, batch);
  let rows: string[] = [];
  const n = eachBusiness(text, file, (id, ref) => {
    // An id is a UUID (checked), with nothing to encode.
    rows.push(id + JOIN + urlSafe(ref));
    if (rows.length === BATCH) {
      batch(rows);
      rows = [];
    }
  });
  if (rows.length > 0) batch(rows);
  return n;
}

/**
 * The general path: any CSV papaparse reads, every row parsed and checked,
 * each business handed to `each` as it is read: one pass, in 1 MB slices of
 * the text, so no copy of all rows is ever held (a 1M-row file is ~50 MB of
 * text, and papaparse's rows for all of it several times that in k6). The
 * first bad row stops the run with its line (header = line 1). Returns the
 * number of businesses.
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

/** Every business's id and ref, in file order (Node tools; k6's cold init reads businessRows). */
export function parseBusinesses(text: string, file: string): Businesses {
  const ids: string[] = [];
  const refs: string[] = [];
  eachBusiness(text, file, (id, ref) => {
    ids.push(id);
    refs.push(ref);
  });
  return { ids, refs };
}
