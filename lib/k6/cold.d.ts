// Modules build.mjs provides: the text of a cold part (see lib/k6/load.ts).
declare module 'cold:*' {
  const source: string;
  export default source;
}
