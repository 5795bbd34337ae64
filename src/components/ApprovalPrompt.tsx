// The question asked before a tool changes something: the command or the diff, and the keys.
// It reads keys from Ink's input event itself (as InputBox does) while a request is shown;
// the App suspends InputBox meanwhile, so a 'y' meant for this prompt is never typed there.

import { Box, Text, useStdin } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { ApprovalDecision, ApprovalRequest } from '../agent/tools/approval.js';
import { CHOOSING, promptKey, promptLayout, type PromptState } from '../tui/approvals.js';
import { decodeKeys } from '../tui/keys.js';
import type { Theme } from '../tui/theme.js';

export interface ApprovalPromptProps {
  request: ApprovalRequest;
  /** Requests waiting behind this one. */
  waiting?: number;
  theme: Theme;
  /** Rows the command or the diff may take (the live region must stay below the terminal's height). */
  maxBodyRows: number;
  onDecision(request: ApprovalRequest, decision: ApprovalDecision): void;
  /** Esc or Ctrl+C: stop the whole turn. */
  onInterrupt(): void;
}

export function ApprovalPrompt(props: ApprovalPromptProps) {
  const { internal_eventEmitter: inputEvents } = useStdin();
  const [state, setState] = useState<PromptState>(CHOOSING);
  // Keys can arrive faster than React re-renders: the handler works on refs.
  const stateRef = useRef<PromptState>(CHOOSING);
  const propsRef = useRef(props);
  propsRef.current = props;
  const requestRef = useRef(props.request);

  if (requestRef.current !== props.request) {
    // A new question starts at the choice, whatever the last one ended in.
    requestRef.current = props.request;
    stateRef.current = CHOOSING;
    if (state !== CHOOSING) setState(CHOOSING);
  }

  useEffect(() => {
    const onInput = (data: string): void => {
      for (const key of decodeKeys(data)) {
        const p = propsRef.current;
        const request = requestRef.current;
        const { state: next, action } = promptKey(stateRef.current, key, request);
        if (next !== stateRef.current) {
          stateRef.current = next;
          setState(next);
        }
        if (!action) continue;
        if (action.kind === 'interrupt') p.onInterrupt();
        else p.onDecision(request, action.decision);
        // Whatever follows in this read belongs to the next question (or to nobody).
        return;
      }
    };
    inputEvents.on('input', onInput);
    return () => {
      inputEvents.removeListener('input', onInput);
    };
  }, [inputEvents]);

  const layout = promptLayout(props.request, state, props.theme, props.maxBodyRows, props.waiting ?? 0);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">{layout.title}</Text>
      {layout.body.map((row, i) => (
        <Text key={i} wrap="truncate-end">
          {row === '' ? ' ' : row}
        </Text>
      ))}
      <Text wrap="truncate-end">{layout.footer}</Text>
    </Box>
  );
}
