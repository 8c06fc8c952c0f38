// Seeded random numbers: the same SEED picks the same parameters per VU.
// mulberry32: tiny, fast, and good enough to spread picks over the data
// (Node tools and tests); vuRandom: a VU's own stream, without Math.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A VU's own stream for parameter picks, without Math: every VU runs this,
 * and the first use of a builtin object (Math.imul) costs each VU's runtime
 * memory. xorshift32 over a seed mixed with the VU number; the product stays
 * below 2^53, so it is exact before `^` takes it to 32 bits.
 */
export function vuRandom(seed: number, vu: number): () => number {
  let x = (seed ^ ((vu + 1) * 0x9e3779b1)) >>> 0 || 0x6d2b79f5;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}
