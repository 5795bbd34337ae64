// The spinner from submit to the first visible output. Its timers exist only while it is
// mounted, so an idle prompt costs no CPU.

import { Text } from 'ink';
import Spinner from 'ink-spinner';
import { useEffect, useState } from 'react';
import type { Theme } from '../tui/theme.js';

export interface WaitingLineProps {
  since: number;
  note?: string;
  theme: Theme;
  /** false on TERM=dumb: a terminal that cannot move the cursor gets no animation. */
  animate?: boolean;
  now?: () => number;
}

export function WaitingLine({ since, note, theme, animate = true, now = Date.now }: WaitingLineProps) {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.floor((now() - since) / 1000));
  const detail = note ? ` · ${note}` : '';
  return (
    <Text wrap="truncate-end">
      {animate ? <Spinner type="dots" /> : '…'}
      {theme.dim(` ${seconds}s · esc to interrupt${detail}`)}
    </Text>
  );
}
