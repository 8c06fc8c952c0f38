// Problems the user can fix (a missing file, runs that do not belong
// together): printed without a stack, exit code 2.
export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}
