// Parameter values for the request path, in a form cheap for every VU.
//
// A full copy of the values per VU would cost ~1 MB per 10000 rows in each of
// hundreds of VUs, so they live in a SharedArray. k6 JSON-parses and
// deep-freezes an element on every access, and deep-freezing a string walks
// each of its characters (k6 v0.49 js/modules/k6/data/share.go), so an
// element is a chunk: WINDOW rows, each row its COLUMNS values (id, ref),
// all joined by `","`, boxed in a one-element array so the freeze never
// walks it. Values are URL-encoded when chunked (in the cold init), so they
// hold no quote or backslash, and a VU gets them back with
// JSON.parse('["' + text + '"]'): JSON is already set up in every VU by
// SharedArray itself, while a String method such as split would set up
// String.prototype in each VU's runtime. A VU never encodes either. It sends
// its route's value of each row of a chunk once, in an order of its own,
// before reading another random chunk: one SharedArray read per WINDOW
// requests, and every row equally likely. One string per chunk, both columns
// in one array (the other column's values ride along in each read), keeps
// the cold init light for big files: a 1M-row file is 62500 strings, which
// the canonical path (lib/data.ts) builds from blocks of lines with native
// splits and joins, never a JS call per row.

/** Rows per chunk. */
export const WINDOW = 16;
/** Values per row: the id (column 0), the sampleUnitRef (column 1). */
export const COLUMNS = 2;
/** Between the values of a row and between the rows of a chunk: the inside of a JSON array of strings. */
export const JOIN = '","';

/** A chunk as a VU reads it from the SharedArray: its rows joined by JOIN, boxed. */
export type Chunk = readonly [string];

/**
 * Builds the chunks in one pass from batches of rows (each `<id>","<ref>`,
 * URL-safe): whole chunks are cut from a batch natively, only the rows
 * that straddle two batches are moved one at a time.
 */
export function chunker(size = WINDOW): { add: (rows: readonly string[]) => void; done: () => string[] } {
  const chunks: string[] = [];
  const current: string[] = [];
  return {
    add(rows) {
      let i = 0;
      if (current.length > 0) {
        while (i < rows.length && current.length < size) current.push(rows[i++]!);
        if (current.length < size) return;
        chunks.push(current.join(JOIN));
        current.length = 0;
      }
      for (; i + size <= rows.length; i += size) chunks.push(rows.slice(i, i + size).join(JOIN));
      for (; i < rows.length; i++) current.push(rows[i]!);
    },
    done() {
      if (current.length > 0) chunks.push(current.join(JOIN));
      current.length = 0;
      return chunks;
    },
  };
}

/** Boxes a chunk's text for the SharedArray (only when handing it over: a box per chunk during the parse would raise the cold init's peak). */
export const box = (text: string): Chunk => [text];

/** Rows of values (already URL-safe) -> chunks of `size` rows, the last may hold fewer (Node tools and tests). */
export function toChunks(rows: ReadonlyArray<readonly string[]>, size = WINDOW): Chunk[] {
  const c = chunker(size);
  c.add(rows.map((r) => r.join(JOIN)));
  return c.done().map(box);
}

/** A chunk's values, row after row (URL-encoded values hold no '"' or '\\', so the text is a JSON array's inside). */
export const chunkValues = (chunk: Chunk): string[] => JSON.parse('["' + chunk[0] + '"]') as string[];

/**
 * A VU's walk over one column: the chunk it is sending and where it is in it.
 * A plain object, not a closure: every function a VU creates costs it memory.
 */
export interface Pick {
  chunks: ArrayLike<Chunk>;
  /** The value of a row this walk sends (0 id, 1 sampleUnitRef). */
  column: number;
  values: string[];
  n: number;
  left: number;
  pos: number;
  stride: number;
}

/** A walk's start: `left` 0 makes the first nextValue read a chunk. (lib/k6/vu.ts writes this literal out, to keep one function fewer per VU.) */
export const newPick = (chunks: ArrayLike<Chunk>, column: number): Pick => ({ chunks, column, values: [], n: 0, left: 0, pos: 0, stride: 1 });

/** The next value of a VU's walk (`chunks` is a SharedArray: each index read is one JSON.parse). */
export function nextValue(p: Pick, random: () => number): string {
  if (p.left === 0) {
    // chunkValues written out: each function a VU keeps costs it about 0.7 KB.
    const values = (p.values = JSON.parse('["' + p.chunks[(random() * p.chunks.length) | 0]![0] + '"]') as string[]);
    const n = (p.n = p.left = values.length / COLUMNS);
    p.pos = (random() * n) | 0;
    // A stride coprime to n visits every row of the chunk once.
    let stride = 1 + ((random() * n) | 0);
    for (;;) {
      let a = stride;
      let b = n;
      while (b !== 0) {
        const t = a % b;
        a = b;
        b = t;
      }
      if (a === 1) break;
      stride++;
    }
    p.stride = stride;
  }
  p.left--;
  const v = p.values[p.pos * COLUMNS + p.column]!;
  p.pos = (p.pos + p.stride) % p.n;
  return v;
}

/** The same walk as a function (Node tools and tests). */
export function picker(chunks: ArrayLike<Chunk>, column: number, random: () => number): () => string {
  const p = newPick(chunks, column);
  return () => nextValue(p, random);
}
