// The line under the prompt: model, provider, session tokens, context used; or a key hint.

import { Text } from 'ink';
import { memo } from 'react';
import type { Theme } from '../tui/theme.js';

export interface StatusLineProps {
  text: string;
  hint?: string;
  theme: Theme;
}

/** Memoised: the App re-renders on every streaming frame, this line only when it changes. */
export const StatusLine = memo(function StatusLine({ text, hint, theme }: StatusLineProps) {
  return <Text wrap="truncate-end">{hint ? theme.yellow(hint) : theme.dim(text)}</Text>;
});
