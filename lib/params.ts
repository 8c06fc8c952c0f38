// Parameter values for the request path, in a form cheap for every VU.
//
// A SharedArray access decodes its element (costly per iteration), and a
// full copy of 10000 ids per VU costs ~1 MB in each of hundreds of VUs. So
// the values are stored as a few fixed-width chunk strings (built once, in
// the cold init part): a VU holds one chunk at a time and draws a window of
// distinct values from it before fetching another random chunk. One access
// per WINDOW requests; the picks stay close to uniform over the whole file
// (no value repeats within a window, chunks are equal-sized).

export const CHUNK_SIZE = 256;
export const WINDOW = 16;

export interface Chunked {
  /** Every value padded with spaces to this many characters. */
  width: number;
  count: number;
  chunks: string[];
}

/** Values -> equal-sized chunks (sizes differ by at most one) of fixed-width text. */
export function toChunks(values: readonly string[], size = CHUNK_SIZE): Chunked {
  const width = values.reduce((w, v) => Math.max(w, v.length), 1);
  const n = Math.max(1, Math.ceil(values.length / size));
  const parts: string[][] = Array.from({ length: n }, () => []);
  values.forEach((v, i) => parts[i % n]!.push(v + ' '.repeat(width - v.length)));
  return { width, count: values.length, chunks: parts.map((p) => p.join('')) };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** A VU's stream of values; `chunk(i)` reads chunk i (a SharedArray element). */
export function picker(chunk: (i: number) => string, chunks: number, width: number, random: () => number, window = WINDOW): () => string {
  let text = '';
  let n = 0;
  let left = 0;
  let pos = 0;
  let stride = 1;
  return () => {
    if (left === 0) {
      text = chunk((random() * chunks) | 0);
      n = text.length / width;
      left = Math.min(window, n);
      pos = (random() * n) | 0;
      // A stride coprime to n visits distinct values until the window ends.
      stride = 1 + ((random() * n) | 0);
      while (gcd(stride, n) !== 1) stride++;
    }
    left--;
    const v = text.slice(pos * width, pos * width + width);
    pos = (pos + stride) % n;
    return v.charCodeAt(width - 1) === 32 ? v.trim() : v;
  };
}
