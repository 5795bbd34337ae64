/** A mistake on the command line: printed as one line with a pointer to --help, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The exit code of a mistake on the command line. */
export const USAGE_EXIT = 2;

/** Says what was wrong, in one line with a pointer to --help; returns the exit code. */
export function usageFailure(message: string): number {
  process.stderr.write(`hermes: ${message}\nTry 'hermes --help'.\n`);
  return USAGE_EXIT;
}
