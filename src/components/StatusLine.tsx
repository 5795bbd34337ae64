// The line under the prompt: model, provider, session tokens, context used; or a key hint, or a
// problem that stops every request (no API key), in yellow.

import { Text } from 'ink';
import { memo } from 'react';
import type { Theme } from '../tui/theme.js';

export interface StatusLineProps {
  text: string;
  hint?: string;
  /** Shown instead of the text until it is dealt with (a hint still goes first). */
  warning?: string;
  theme: Theme;
}

/** Memoised: the App re-renders on every streaming frame, this line only when it changes. */
export const StatusLine = memo(function StatusLine({ text, hint, warning, theme }: StatusLineProps) {
  const attention = hint || (warning ? `⚠ ${warning}` : undefined);
  return <Text wrap="truncate-end">{attention ? theme.yellow(attention) : theme.dim(text)}</Text>;
});
