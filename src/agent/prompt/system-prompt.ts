// The system prompt hermes sends: a short built-in one that tells the model where it is and
// what it may do (replaced by -s / config `system`), what --append-system adds, then the
// project instructions. Built once per session and never changed within it: a prompt prefix
// that stays the same from request to request is what providers cache.

export interface Environment {
  cwd: string;
  /** process.platform, e.g. linux, darwin, win32. */
  platform: string;
  /** The shell run_shell uses, e.g. /bin/bash. */
  shell: string;
  /** Today's date as YYYY-MM-DD: fixed at session start. */
  date: string;
  gitRoot?: string;
  /** Where the user reads the answers; default their terminal. */
  surface?: 'terminal' | 'chat';
}

export interface SystemPromptParts {
  environment: Environment;
  /** Names of the tools offered to the model; empty: none. */
  tools: readonly string[];
  /** Replaces the built-in prompt (-s, config `system`). */
  replace?: string;
  /** Added after it (--append-system, config `appendSystem`). */
  append?: string;
  /** The labelled project instructions; '' or undefined for none. */
  instructions?: string;
}

export function builtInPrompt(environment: Environment, tools: readonly string[]): string {
  const repository = environment.gitRoot
    ? `It is inside a git repository rooted at ${environment.gitRoot}.`
    : 'It is not inside a git repository.';
  const lines = [
    environment.surface === 'chat'
      ? 'You are hermes, an AI assistant the user talks to in a chat; you work on a machine of theirs.'
      : 'You are hermes, an AI assistant working with the user in their terminal.',
    `Working folder: ${environment.cwd}. ${repository}`,
    `Platform: ${environment.platform}; shell: ${environment.shell}. Today's date: ${environment.date}.`,
  ];
  if (tools.length > 0) {
    lines.push(
      `Tools: ${tools.join(', ')}. Use them to look before you answer questions about files or the system; paths are relative to the working folder.`,
      'Reading inside the working folder needs no approval; writes, edits, shell commands and anything outside the folder wait for the user to approve or deny them. A denied call comes back as an error: take the reason into account rather than retrying it.',
    );
  } else {
    lines.push('You have no tools in this conversation: answer from what you know and what the user gives you.');
  }
  lines.push(environment.surface === 'chat' ? 'Be concise. Answers are shown in a chat app that renders basic Markdown (no tables).' : 'Be concise. Answers are shown in a terminal that renders Markdown.');
  return lines.join('\n');
}

/** The effective system prompt. */
export function systemPrompt(parts: SystemPromptParts): string {
  const sections = [parts.replace ?? builtInPrompt(parts.environment, parts.tools)];
  if (parts.append?.trim()) sections.push(parts.append.trim());
  if (parts.instructions?.trim()) {
    sections.push(`# Project instructions\n\nThe user's instruction files for this project, from the most general to the most specific:\n\n${parts.instructions.trim()}`);
  }
  return sections.join('\n\n');
}

/** YYYY-MM-DD in local time: the day the user sees on their calendar. */
export function localDate(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
