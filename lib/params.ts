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

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** A VU's stream of values from `chunks` (a SharedArray: each index read is one JSON.parse). */
export function picker(chunks: ArrayLike<Chunk>, random: () => number): () => string {
  let values: string[] = [];
  let n = 0;
  let left = 0;
  let pos = 0;
  let stride = 1;
  return () => {
    if (left === 0) {
      values = chunkValues(chunks[(random() * chunks.length) | 0]!);
      n = values.length;
      left = n;
      pos = (random() * n) | 0;
      // A stride coprime to n visits every value of the chunk once.
      stride = 1 + ((random() * n) | 0);
      while (gcd(stride, n) !== 1) stride++;
    }
    left--;
    const v = values[pos]!;
    pos = (pos + stride) % n;
    return v;
  };
}
