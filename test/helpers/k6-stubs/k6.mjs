// Stand-ins for k6's modules, for loading a bundle in Node. State lives on
// globalThis.__k6 (set by test/helpers/k6.ts) so each load can inspect it.
const k6 = () => globalThis.__k6;
export function check(value, sets, tags) {
  let all = true;
  for (const [name, fn] of Object.entries(sets)) {
    // k6 takes a function or a plain value per check.
    const ok = typeof fn === 'function' ? !!fn(value) : !!fn;
    k6().checks.push({ name, ok, tags });
    all = all && ok;
  }
  return all;
}
export function sleep() {}
export default { check, sleep };
