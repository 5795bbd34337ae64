// Exit codes for the signals that stop hermes (shared by the one-shot CLI and the TUI).

import os from 'node:os';

/** 128 + the signal's number, as a shell reports it: SIGINT 130, SIGTERM 143, SIGHUP 129. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? os.constants.signals.SIGTERM);
}
