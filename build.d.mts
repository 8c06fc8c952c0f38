// Types for build.mjs, for the tests that call it.
/** `eager`: what every VU compiles (the bundle without its embedded text, minified). */
export interface BundleWeight { file: string; bytes: number; eager: number }
export declare const COLD_PARTS: Record<string, string>;
export declare const MAX_BUNDLE_BYTES: number;
export declare function generateValidators(): void;
export declare function build(options?: { quiet?: boolean; write?: boolean }): Promise<{ bundles: BundleWeight[]; sources: Record<string, string> }>;
