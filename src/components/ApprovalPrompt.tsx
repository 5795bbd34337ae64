// The question asked before a tool changes something: the whole command or diff, and a select
// list. It reads Ink's input events itself (as InputBox does) while a request is shown; the App
// suspends InputBox meanwhile, and what is typed or pasted here that is not an answer is handed
// back to it (`onAside`), never lost and never taken for an answer (src/tui/approval-keys.ts).

import { Box, Text, useStdin } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { ApprovalDecision, ApprovalRequest } from '../agent/tools/approval.js';
import { CHOOSING, promptInput, type BodyView, type PromptState } from '../tui/approval-keys.js';
import { promptLayout } from '../tui/approval-layout.js';
import { createInputReader } from '../tui/paste.js';
import type { Theme } from '../tui/theme.js';

export interface ApprovalPromptProps {
  request: ApprovalRequest;
  /** Requests waiting behind this one. */
  waiting?: number;
  theme: Theme;
  columns: number;
  /** Rows the whole prompt may take (the live region must stay below the terminal's height). */
  maxRows: number;
  onDecision(request: ApprovalRequest, decision: ApprovalDecision): void;
  /** Esc or Ctrl+C: stop the whole turn. */
  onInterrupt(): void;
  /** Text typed or pasted at the prompt: it belongs in the input box. */
  onAside(text: string): void;
}

export function ApprovalPrompt(props: ApprovalPromptProps) {
  const { internal_eventEmitter: inputEvents } = useStdin();
  const [state, setState] = useState<PromptState>(CHOOSING);
  // Keys can arrive faster than React re-renders: the handler works on refs.
  const stateRef = useRef<PromptState>(CHOOSING);
  const propsRef = useRef(props);
  propsRef.current = props;
  const requestRef = useRef(props.request);
  const bodyRef = useRef<BodyView>({ total: 0, page: 0 });

  if (requestRef.current !== props.request) {
    // A new question starts at the top, on the first choice, whatever the last one ended in.
    requestRef.current = props.request;
    stateRef.current = CHOOSING;
    if (state !== CHOOSING) setState(CHOOSING);
  }

  useEffect(() => {
    let answered: ApprovalRequest | undefined;
    const reader = createInputReader((segments) => {
      for (const segment of segments) {
        const p = propsRef.current;
        const request = requestRef.current;
        // Keys after an answer, before the next question is shown, answer nothing (typing ahead).
        if (answered === request) return;
        const out = promptInput(stateRef.current, segment, request.kind, bodyRef.current);
        if (out.state !== stateRef.current) {
          stateRef.current = out.state;
          setState(out.state);
        }
        for (const action of out.actions) {
          if (action.kind === 'aside') p.onAside(action.text);
          else {
            answered = request;
            if (action.kind === 'interrupt') p.onInterrupt();
            else p.onDecision(request, action.decision);
          }
        }
      }
    });
    const onInput = (data: string): void => reader.push(data);
    inputEvents.on('input', onInput);
    return () => {
      inputEvents.removeListener('input', onInput);
      reader.dispose();
    };
  }, [inputEvents]);

  const layout = promptLayout(props.request, state, props.theme, { columns: props.columns, maxRows: props.maxRows, waiting: props.waiting });
  bodyRef.current = layout.body;
  return (
    <Box flexDirection="column">
      {layout.rows.map((row, i) => (
        <Text key={i} wrap="truncate-end">
          {row === '' ? ' ' : row}
        </Text>
      ))}
    </Box>
  );
}
