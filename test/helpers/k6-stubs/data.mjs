// k6 runs a SharedArray's callback once per test and hands every VU the same
// data, decoded from JSON on each access; JSON round-trip mimics that.
const k6 = () => globalThis.__k6;
export class SharedArray {
  constructor(name, fn) {
    const store = k6().shared;
    if (!store.has(name)) {
      k6().sharedCalls.push(name);
      store.set(name, JSON.stringify(fn()));
    }
    return JSON.parse(store.get(name));
  }
}
export default { SharedArray };
