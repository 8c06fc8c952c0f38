// The response validators as a cold part: build.mjs embeds this as text and
// a VU compiles it (lib/k6/load.ts) only when VALIDATE is on, so runs that
// switch validation off do not pay for the validator code in every VU.
export { bodyError } from '../validate.ts';
