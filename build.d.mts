// Types for build.mjs, for the tests that call it.
/** `eager`: what every VU compiles (the bundle without its embedded text, minified). */
/** A bundle: `file` (dist/<name>.js, what k6 runs) and its CommonJS `body` (dist/<name>.cjs); `bytes` of both. */
export interface BundleWeight { file: string; body: string; bytes: number; eager: number }
/** A scenario's two esbuild ES modules (__VU 0's half, the VUs' half) as the ES module k6 runs and its CommonJS body (`bodyFile`, beside it). */
export declare function splitBundle(halves: { zero: string; vu: string }, bodyFile: string): { module: string; body: string };
export declare const COLD_PARTS: Record<string, string>;
export declare const MAX_BUNDLE_BYTES: number;
/** The line that starts the VUs' half in a body. */
export declare const VU_HALF_LINE: string;
export declare function generateValidators(): void;
export declare function build(options?: { quiet?: boolean; write?: boolean }): Promise<{ bundles: BundleWeight[]; sources: Record<string, string> }>;
