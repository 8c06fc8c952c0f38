// The one `new Function` of a bundle: compiles code that build.mjs embedded as
// text (an IIFE assigning `__cold`) only where it runs. Compiled code costs
// memory in every VU; a string constant costs nothing.
export function loadCold<T>(source: string): T {
  return new Function(`${source}\nreturn __cold;`)() as T;
}
