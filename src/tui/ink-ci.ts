// Ink decides once, when it is loaded, whether it runs in CI (the is-in-ci package: CI or
// CONTINUOUS_INTEGRATION set), and then prints only <Static> output and its last frame: no input
// box, no status line while an answer streams. A user's terminal with CI exported (a habit, a
// dotfile, a shell inside a CI runner's debug session) is still a terminal, so on a TTY Ink is
// loaded with those two hidden from it, and they are put back at once for everything else (the
// tools' environment among them). This module must be imported before Ink (src/tui/run-tui.tsx
// imports it first; nothing loads Ink before run-tui).

const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

const hidden = new Map<string, string>();
if (process.stdout.isTTY) {
  for (const key of CI_VARIABLES) {
    const value = process.env[key];
    if (value !== undefined) {
      hidden.set(key, value);
      delete process.env[key];
    }
  }
}

/** Puts the hidden variables back (Ink has been loaded). */
export function restoreCiVariables(): void {
  for (const [key, value] of hidden) process.env[key] = value;
  hidden.clear();
}

/** Whether Ink believes it runs in CI (is-in-ci's rule), as it was loaded. */
export function inkSeesCi(env: NodeJS.ProcessEnv, stdoutIsTty: boolean): boolean {
  if (stdoutIsTty) return false;
  const set = (key: string): boolean => key in env && env[key] !== '0' && env[key] !== 'false';
  return CI_VARIABLES.some(set);
}
