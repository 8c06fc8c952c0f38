// One error type for everything the user can fix (bad file, bad flag), so the
// CLI can print a message without a stack and pick the exit code.

/** 1: an input could not be plotted. 2: the command line itself is wrong. */
export type ExitCode = 1 | 2;

export class PlotError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode = 1) {
    super(message);
    this.name = 'PlotError';
    this.exitCode = exitCode;
  }
}
