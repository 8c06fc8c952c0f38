// Parameter values for the request path, in a form cheap for every VU.
//
// A full copy of the values per VU would cost ~1 MB per 10000 ids in each of
// hundreds of VUs, so they live in a SharedArray. k6 JSON-parses and
// deep-freezes an element on every access, and deep-freezing a string walks
// each of its characters (k6 v0.49 js/modules/k6/data/share.go), so an
// element is one short string, WINDOW values joined by a line break (never
// inside a value, lib/data.ts), which lib/k6/core.ts boxes in a one-element
// array so the freeze never walks its characters. A VU reads one chunk and sends each of its
// values once, in an order of its own, before reading another random chunk:
// one SharedArray read per WINDOW requests, nothing read that is not sent,
// and every value equally likely (each chunk read sends each value once).
// One string per chunk also keeps the cold init light for big files: a 1M-row
// file is 62500 strings per column, not 1M.

export const WINDOW = 16;
export const SEPARATOR = '\n';

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
        chunks.push(current.join(SEPARATOR));
        current.length = 0;
      }
    },
    done() {
      if (current.length > 0) chunks.push(current.join(SEPARATOR));
      current.length = 0;
      return chunks;
    },
    count: () => count,
  };
}

/** Values -> chunks of `size` values (the last may hold fewer). */
export function toChunks(values: readonly string[], size = WINDOW): string[] {
  const c = chunker(size);
  for (const v of values) c.push(v);
  return c.done();
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** A VU's stream of values; `chunk(i)` reads chunk i (a SharedArray element). */
export function picker(chunk: (i: number) => string, chunks: number, random: () => number): () => string {
  let values: string[] = [];
  let n = 0;
  let left = 0;
  let pos = 0;
  let stride = 1;
  return () => {
    if (left === 0) {
      values = chunk((random() * chunks) | 0).split(SEPARATOR);
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
