// The prompt. Compact on purpose: a marker and the text, no border, because every line
// committed to <Static> makes Ink redraw the live region and a border costs its full width.
//
// Input comes from Ink's internal input event (whole escape sequences and text runs, already
// reassembled by Ink's parser) rather than useInput: useInput would turn a bracketed paste
// into keypresses (submitting its first line) and cannot tell Ctrl+J from Enter. Nothing else
// should handle keys with useInput while this is mounted. Render with exitOnCtrlC: false, or
// Ink quits on the first Ctrl+C before this sees it.

import { Box, Text, useStdin, useStdout } from 'ink';
import { memo, useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import {
  EMPTY_EDITOR,
  backspace,
  deleteForward,
  deleteWordBack,
  down,
  end,
  endOfFirstLine,
  fromText,
  home,
  insert,
  killToEnd,
  killToStart,
  left,
  newline,
  right,
  up,
  wordLeft,
  wordRight,
  type EditorState,
} from '../tui/input-editor.js';
import type { InputHistory } from '../tui/input-history.js';
import { layoutInput } from '../tui/input-layout.js';
import { decodeKeys, type EditorKey } from '../tui/keys.js';
import { createInputReader, enableBracketedPaste, normalizePastedText, type PasteSegment } from '../tui/paste.js';
import { completeSlashCommand } from '../tui/slash-commands.js';
import { CommandHint } from './CommandHint.js';

export interface InputBoxProps {
  busy: boolean; // an answer is streaming
  history: InputHistory;
  onSubmit(text: string): void; // Enter (non-empty after trim); while busy the caller queues it
  onInterrupt(kind: 'esc' | 'ctrl-c'): void; // only called while busy
  onExit(): void; // Ctrl+D on empty input; Ctrl+C twice within 2 s on an empty idle prompt
  onRedraw?(): void; // Ctrl+L
  onHint?(text: string | undefined): void; // e.g. "press Ctrl+C again to exit"
  placeholder?: string;
  width?: number;
  /** Another prompt (a tool approval) has the keyboard: keys are left alone, the text is kept
   *  and shown on one dim row. */
  suspended?: boolean;
  /** Lets that prompt hand back what was typed or pasted at it (see InputBoxHandle). */
  handle?: Ref<InputBoxHandle>;
}

export interface InputBoxHandle {
  /** Adds text after what is already typed (the cursor goes to the end). */
  append(text: string): void;
}

export const EXIT_HINT = 'press Ctrl+C again to exit';
const EXIT_WINDOW_MS = 2000;
const MARKER = '› ';
const INDENT = '  ';

/** NO_COLOR (https://no-color.org): set and non-empty. chalk 5 as used by Ink does not read it. */
export function colourAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.NO_COLOR;
}

/** What is sent: surrounding blank lines and trailing spaces dropped, indentation kept. */
function submittedText(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, '').trimEnd();
}

/**
 * Memoised on what it shows: the App re-renders on every streaming frame. The callbacks are read
 * through a ref at the moment a key arrives, and the App's callbacks only reach stable objects
 * (agent, runner, refs), so skipping a render never leaves a stale one behind that matters.
 */
export const InputBox = memo(InputBoxView, (before, after) =>
  before.busy === after.busy &&
  before.suspended === after.suspended &&
  before.history === after.history &&
  before.handle === after.handle &&
  before.placeholder === after.placeholder &&
  before.width === after.width,
);

function InputBoxView(props: InputBoxProps) {
  const { setRawMode, isRawModeSupported, internal_eventEmitter: inputEvents } = useStdin();
  const { stdout } = useStdout();
  const [editor, setEditor] = useState<EditorState>(EMPTY_EDITOR);

  // Several input events can arrive before React re-renders (one read of "ab\x1b[D" is three),
  // so the handler works on refs, not on the state captured by a render.
  const editorRef = useRef(editor);
  const propsRef = useRef(props);
  propsRef.current = props;

  useImperativeHandle(
    props.handle,
    () => ({
      append(text) {
        if (text === '') return;
        const next = fromText(editorRef.current.text + text);
        editorRef.current = next;
        setEditor(next);
      },
    }),
    [],
  );

  useEffect(() => {
    if (!isRawModeSupported) return;
    setRawMode(true);
    return () => setRawMode(false);
  }, [isRawModeSupported, setRawMode]);

  useEffect(() => {
    if (!(stdout as { isTTY?: boolean }).isTTY) return;
    return enableBracketedPaste(stdout);
  }, [stdout]);

  useEffect(() => {
    let exitArmedAt: number | undefined;
    let hintTimer: NodeJS.Timeout | undefined;

    const set = (next: EditorState): void => {
      if (next === editorRef.current) return;
      editorRef.current = next;
      setEditor(next);
    };

    const clear = (): void => {
      propsRef.current.history.reset();
      set(EMPTY_EDITOR);
    };

    const disarmExit = (): void => {
      if (exitArmedAt === undefined) return;
      exitArmedAt = undefined;
      clearTimeout(hintTimer);
      propsRef.current.onHint?.(undefined);
    };

    const ctrlC = (): void => {
      const p = propsRef.current;
      if (p.busy) {
        clear();
        p.onInterrupt('ctrl-c');
        return;
      }
      if (editorRef.current.text !== '') {
        disarmExit();
        clear();
        return;
      }
      if (exitArmedAt !== undefined && Date.now() - exitArmedAt <= EXIT_WINDOW_MS) {
        disarmExit();
        p.onExit();
        return;
      }
      exitArmedAt = Date.now();
      clearTimeout(hintTimer);
      hintTimer = setTimeout(disarmExit, EXIT_WINDOW_MS);
      p.onHint?.(EXIT_HINT);
    };

    const submit = (): void => {
      const p = propsRef.current;
      const text = submittedText(editorRef.current.text);
      if (text.trim() === '') return;
      p.history.add(text);
      clear();
      p.onSubmit(text);
    };

    const historyUp = (): void => {
      const state = editorRef.current;
      const move = up(state);
      if (!move.atEdge) return set(move.state);
      const entry = propsRef.current.history.previous(state.text);
      if (entry !== undefined) set(endOfFirstLine(entry));
    };

    const historyDown = (): void => {
      const move = down(editorRef.current);
      if (!move.atEdge) return set(move.state);
      const entry = propsRef.current.history.next();
      if (entry !== undefined) set(fromText(entry));
    };

    const complete = (): void => {
      const state = editorRef.current;
      if (!state.text.startsWith('/')) return set(insert(state, '\t'));
      const { completion } = completeSlashCommand(state.text);
      if (completion !== undefined) set(fromText(completion));
    };

    const handleCtrl = (name: string): void => {
      const state = editorRef.current;
      switch (name) {
        case 'a':
          return set(home(state));
        case 'e':
          return set(end(state));
        case 'u':
          return set(killToStart(state));
        case 'k':
          return set(killToEnd(state));
        case 'b':
          return set(left(state));
        case 'f':
          return set(right(state));
        case 'p':
          return historyUp();
        case 'n':
          return historyDown();
        case 'c':
          return ctrlC();
        case 'd':
          if (state.text === '') return propsRef.current.onExit();
          return set(deleteForward(state));
        case 'l':
          return propsRef.current.onRedraw?.();
        default:
          return; // unbound: nothing typed, nothing echoed
      }
    };

    const handleKey = (key: EditorKey): void => {
      if (!(key.kind === 'ctrl' && key.name === 'c')) disarmExit();
      const state = editorRef.current;
      switch (key.kind) {
        case 'text':
          return set(insert(state, key.text));
        case 'paste':
          return set(insert(state, normalizePastedText(key.text)));
        case 'enter':
          return submit();
        case 'newline':
          return set(newline(state));
        case 'backspace':
          return set(backspace(state));
        case 'delete':
          return set(deleteForward(state));
        case 'left':
          return set(left(state));
        case 'right':
          return set(right(state));
        case 'home':
          return set(home(state));
        case 'end':
          return set(end(state));
        case 'wordLeft':
          return set(wordLeft(state));
        case 'wordRight':
          return set(wordRight(state));
        case 'deleteWordBack':
          return set(deleteWordBack(state));
        case 'up':
          return historyUp();
        case 'down':
          return historyDown();
        case 'tab':
          return complete();
        case 'escape':
          // Esc interrupts and keeps what was typed; idle, it does nothing (no text is lost).
          if (propsRef.current.busy) propsRef.current.onInterrupt('esc');
          return;
        case 'ctrl':
          return handleCtrl(key.name);
      }
    };

    const reader = createInputReader((segments: PasteSegment[]): void => {
      for (const segment of segments) {
        if (segment.kind === 'paste') {
          disarmExit();
          const text = normalizePastedText(segment.text);
          if (text !== '') set(insert(editorRef.current, text));
        } else {
          for (const key of decodeKeys(segment.data)) handleKey(key);
        }
      }
    });

    const onInput = (data: string): void => {
      if (!propsRef.current.suspended) reader.push(data);
    };

    inputEvents.on('input', onInput);
    return () => {
      inputEvents.removeListener('input', onInput);
      clearTimeout(hintTimer);
      reader.dispose();
    };
  }, [inputEvents]);

  const colour = colourAllowed();
  const columns = Math.max(8, props.width ?? stdout.columns ?? 80);
  // The live region must stay well below the terminal height (see DESIGN.md).
  const maxRows = Math.max(3, Math.floor((stdout.rows ?? 24) / 3));
  const marker = (
    <Text color={colour && !props.busy ? 'cyan' : undefined} dimColor={props.busy}>
      {MARKER}
    </Text>
  );

  if (props.suspended) {
    const text = editor.text === '' ? (props.placeholder ?? '') : editor.text.replace(/\s+/g, ' ');
    return (
      <Text wrap="truncate-end" dimColor>
        {MARKER}
        {text}
      </Text>
    );
  }

  if (editor.text === '' && props.placeholder) {
    const [first = ' ', ...rest] = Array.from(props.placeholder);
    return (
      <Box flexDirection="column">
        <Text wrap="truncate-end">
          {marker}
          <Text inverse>{first}</Text>
          <Text dimColor>{rest.join('')}</Text>
        </Text>
      </Box>
    );
  }

  const layout = layoutInput(editor, columns - MARKER.length, maxRows);
  return (
    <Box flexDirection="column">
      {layout.hiddenAbove > 0 && <Text dimColor>{`${INDENT}↑ ${plural(layout.hiddenAbove)} above`}</Text>}
      {layout.rows.map((row, index) => (
        <Text key={index}>
          {row.first ? marker : INDENT}
          {row.before}
          {row.cursor !== undefined && <Text inverse>{row.cursor}</Text>}
          {row.after}
        </Text>
      ))}
      {layout.hiddenBelow > 0 && <Text dimColor>{`${INDENT}↓ ${plural(layout.hiddenBelow)} below`}</Text>}
      <CommandHint input={editor.text} colour={colour} />
    </Box>
  );
}

function plural(lines: number): string {
  return lines === 1 ? '1 more line' : `${lines} more lines`;
}
