const k6 = () => globalThis.__k6;
const exec = {
  get vu() { return { idInTest: k6().vu, idInInstance: k6().vu, iterationInInstance: 0, iterationInScenario: 0 }; },
  get scenario() { return k6().scenario; },
  get instance() { return { vusActive: 1, vusInitialized: 1, iterationsCompleted: 0, iterationsInterrupted: 0, currentTestRunDuration: 0 }; },
  get test() { return { options: {}, abort(msg) { throw new Error(`aborted: ${msg}`); }, fail(msg) { throw new Error(msg); } }; },
};
export default exec;
