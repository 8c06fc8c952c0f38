const k6 = () => globalThis.__k6;
const exec = {
  get vu() { return { idInTest: k6().vu, idInInstance: k6().vu, iterationInInstance: 0, iterationInScenario: 0 }; },
  // As k6 does: a new object whose getters read the VU's current scenario
  // and iteration live (a VU may keep one and read it in a later scenario).
  get scenario() {
    const now = () => k6().scenario;
    return {
      get name() { return now().name; },
      get executor() { return now().executor || 'constant-arrival-rate'; },
      get startTime() { return now().startTime === undefined ? k6().startedAt : now().startTime; },
      get progress() { return 0; },
      get iterationInInstance() { return now().iterationInTest; },
      get iterationInTest() { return now().iterationInTest; },
    };
  },
  get instance() { return { vusActive: 1, vusInitialized: 1, iterationsCompleted: 0, iterationsInterrupted: 0, currentTestRunDuration: 0 }; },
  get test() { return { options: {}, abort(msg) { throw new Error(`aborted: ${msg}`); }, fail(msg) { throw new Error(msg); } }; },
};
export default exec;
