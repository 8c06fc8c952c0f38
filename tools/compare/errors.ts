// Input problems the CLI reports with exit code 2 (as opposed to a broken
// --fail-on rule, exit 1). Thrown by the pure modules, turned into a message
// and an exit code only by run.ts.
export class CompareError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2 = 2) {
    super(message);
    this.name = 'CompareError';
  }
}
