// Parameter values for the request path, in a form cheap for every VU.
//
// A full copy of the values per VU would cost ~1 MB per 10000 ids in each of
// hundreds of VUs, so they live in a SharedArray. k6 JSON-parses and
// deep-freezes an element on every access, and deep-freezing a string walks
// each of its characters (k6 v0.49 js/modules/k6/data/share.go), so an
// element is a chunk: WINDOW values joined by `","`, boxed in a one-element
// array so the freeze never walks it. Values are URL-encoded when chunked (in
// the cold init), so they hold no quote or backslash, and a VU gets them back
// with JSON.parse('["' + text + '"]'): JSON is already set up in every VU by
// SharedArray itself, while a String method such as split would set up
// String.prototype in each VU's runtime. A VU never encodes either. It sends each value of a chunk once, in an order of
// its own, before reading another random chunk: one SharedArray read per
// WINDOW requests, nothing read that is not sent, and every value equally
// likely. One string per chunk keeps the cold init light for big files: a
// 1M-row file is 62500 strings per column, not 1M.

export const WINDOW = 16;
const JOIN = '","';

/** A chunk as a VU reads it from the SharedArray: its values joined by JOIN, boxed. */
export type Chunk = readonly [string];

/** Builds the chunks in one pass: values go in one at a time, no copy of the column is kept. */
export function chunker(size = WINDOW): { push: (value: string) => void; done: () => string[]; count: () => number } {
  const chunks: string[] = [];
  const current: string[] = [];
  let count = 0;
  return {
    push(value) {
      current.push(value);
      count++;
      if (current.length === size) {
        chunks.push(current.join(JOIN));
        current.length = 0;
      }
    },
    done() {
      if (current.length > 0) chunks.push(current.join(JOIN));
      current.length = 0;
      return chunks;
    },
    count: () => count,
  };
}

/** Boxes a chunk's text for the SharedArray (only when handing it over: a box per chunk during the parse would raise the cold init's peak). */
export const box = (text: string): Chunk => [text];

/** Values -> chunks of `size` values (the last may hold fewer). */
export function toChunks(values: readonly string[], size = WINDOW): Chunk[] {
  const c = chunker(size);
  for (const v of values) c.push(v);
  return c.done().map(box);
}

/** A chunk's values (URL-encoded values hold no '"' or '\\', so the text is a JSON array's inside). */
export const chunkValues = (chunk: Chunk): string[] => JSON.parse('["' + chunk[0] + '"]') as string[];

/**
 * A VU's walk over one column: the chunk it is sending and where it is in it.
 * A plain object, not a closure: every function a VU creates costs it memory.
 */
export interface Pick {
  chunks: ArrayLike<Chunk>;
  values: string[];
  n: number;
  left: number;
  pos: number;
  stride: number;
}

export const newPick = (chunks: ArrayLike<Chunk>): Pick => ({ chunks, values: [], n: 0, left: 0, pos: 0, stride: 1 });

/** The next value of a VU's walk (`chunks` is a SharedArray: each index read is one JSON.parse). */
export function nextValue(p: Pick, random: () => number): string {
  if (p.left === 0) {
    const values = (p.values = chunkValues(p.chunks[(random() * p.chunks.length) | 0]!));
    const n = (p.n = p.left = values.length);
    p.pos = (random() * n) | 0;
    // A stride coprime to n visits every value of the chunk once.
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
  const v = p.values[p.pos]!;
  p.pos = (p.pos + p.stride) % p.n;
  return v;
}

/** The same walk as a function (Node tools and tests). */
export function picker(chunks: ArrayLike<Chunk>, random: () => number): () => string {
  const p = newPick(chunks);
  return () => nextValue(p, random);
}
