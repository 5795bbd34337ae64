// The interactive chat. Finished output goes to the scrollback once and is never repainted; the
// live region below it holds only the unfinished end of the answer, tool calls in progress, the
// spinner, the prompt and the status line, and is kept well below the terminal's height: when
// Ink's live region reaches it, Ink clears the screen and reprints everything on every frame.
//
// On a real terminal the unfinished end of the answer is not part of the React tree: it is
// painted above Ink's frame (`pane`, src/tui/terminal-output.ts), together with the lines that
// finish, so that a frame of a streaming answer costs a diff of a few rows rather than a React
// render and an Ink layout of the whole live region. React renders when anything else changes.
// Without a pane (tests, Ink's CI mode) the same rows are rendered by React and finished lines
// go to <Static>.

import { Box, Static, Text, useStdout } from 'ink';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Agent } from '../agent/agent.js';
import type { Env } from '../agent/config.js';
import type { ResolvedCouncil } from '../agent/council/resolve.js';
import type { ApprovalDecision, ApprovalPolicy, ApprovalRequest } from '../agent/tools/approval.js';
import type { ChatMessage } from '../agent/types.js';
import { decisionLines } from '../tui/approval-layout.js';
import { ApprovalQueue } from '../tui/approvals.js';
import type { ChatSessions } from '../tui/chat-sessions.js';
import type { ConsoleLines } from '../tui/console-capture.js';
import { createConversations, type Conversations } from '../tui/conversations.js';
import { contextWindow } from '../agent/context/known-windows.js';
import { IDLE_PLACEHOLDER, cacheHitShare, headerText, statusText } from '../tui/format.js';
import { createLazyHighlighter } from '../tui/highlight.js';
import { wrapRows } from '../tui/text-width.js';
import type { InputHistory } from '../tui/input-history.js';
import { createSessionCommands, missingKey, type SessionTarget } from '../tui/session-commands.js';
import { parseSlashCommand, runSlashCommand } from '../tui/slash-commands.js';
import type { Theme } from '../tui/theme.js';
import { Transcript, type LiveView } from '../tui/transcript.js';
import { useAgentRun, type AgentRunner } from '../tui/use-agent-run.js';
import { useApprovals } from '../tui/use-approvals.js';
import { useTerminalSize } from '../tui/use-terminal-size.js';
import { ApprovalPrompt } from './ApprovalPrompt.js';
import { InputBox, type InputBoxHandle } from './InputBox.js';
import { StatusLine } from './StatusLine.js';
import { WaitingLine } from './WaitingLine.js';

export interface AppProps {
  agent: Agent;
  /** Where requests go at start (the provider can change with /provider). */
  target: SessionTarget;
  history: InputHistory;
  theme: Theme;
  version: string;
  cwd: string;
  /** The user's home folder, shown as ~ in the header. */
  home?: string;
  env: Env;
  /** The user asked to quit. */
  onExit: (code: number) => void;
  /** Spinner animation (off on TERM=dumb). */
  animate?: boolean;
  frameMs?: number;
  /** Hands out the session's parts (tests look at what was committed). */
  onSession?: (session: AppSession) => void;
  /** Where the tool layer's questions arrive (ApprovalPolicy.ask is `approvals.ask`). */
  approvals?: ApprovalQueue;
  /** The live approval policy ('always' answers are forgotten on /clear and /resume). */
  policy?: ApprovalPolicy;
  /** The conversation files; absent, /sessions and /resume are not available. */
  sessions?: ChatSessions;
  /** A continued conversation (hermes -c / --resume), drawn before the prompt, and the notices
   *  that came with opening it (damaged lines skipped…), shown dim. */
  startup?: { messages: readonly ChatMessage[]; notices: readonly string[] };
  /** Draws rows above Ink's frame and sends finished lines to the scrollback (see above). */
  pane?: LivePane;
  /** What the program prints with console.* meanwhile: shown as dim lines. */
  logs?: ConsoleLines;
  /** The conversation's instruction files (named in the header) and the context window. */
  conversation?: AppConversation;
  /** `hermes "question"`: sent as soon as the chat is up. */
  firstMessage?: string;
}

export interface AppConversation {
  /** Paths of the instruction files in the system prompt. */
  instructionFiles: readonly string[];
  /** Their text (for /context). */
  instructions: string;
  /** The window the server reports, once it has answered (a note when it is only a guess). */
  window: Promise<{ tokens: number; note?: string }>;
}

export interface LivePane {
  /** `committed`: finished lines, each ending with a newline ('' for none). */
  paint(committed: string, rows: readonly string[]): void;
}

export interface AppSession {
  transcript: Transcript;
  runner: AgentRunner;
  approvals: ApprovalQueue;
  /** Every line printed to <Static> so far (before wrapping). */
  committed: () => string[];
}

interface StaticItem {
  id: number;
  /** As printed: wrapped to the terminal's width. */
  text: string;
  /** As committed (for tests and anything that reads the transcript back). */
  lines: string[];
}

/** Answer rows never take more than this, whatever the terminal's height. */
const MAX_ANSWER_ROWS = 8;
const MAX_QUEUED_ROWS = 2;
export const MORE_NOTE = '… more below, streaming';
const BUSY_PLACEHOLDER = 'type to queue your next message';
const CLEAR_SCREEN = '\x1b[2J\x1b[H';

/** Committed lines as one <Static> item, wrapped here in one pass rather than by Ink: its
 *  wrapping (wrap-ansi, string-width per word) was the largest cost of a long answer. Blank
 *  lines become a space: an empty <Text> would take no row at all. */
function staticItem(id: number, lines: string[], columns: number): StaticItem {
  return { id, text: committedRows(lines, columns, ' ').join('\n'), lines };
}

function committedRows(lines: readonly string[], columns: number, blank: string): string[] {
  const width = Math.max(10, columns - 1);
  return lines.flatMap((line) => (line === '' ? [blank] : wrapRows(line, width)));
}

/** Rows for the answer, at most this many whatever the terminal's height, with the rows the
 *  rest of the live region takes (the prompt may take a third of the screen, or a line and its
 *  command hints; the status line, the spinner, the "more" note and the cursor's own row come
 *  on top) well below the screen's height. */
function answerBudget(rows: number, toolRows: number, queuedRows: number): number {
  const inputRows = Math.max(Math.floor(rows / 3) + 2, 10);
  const fixedRows = inputRows + 1 + 1 + toolRows + queuedRows + 1 + 2;
  return Math.max(2, Math.min(MAX_ANSWER_ROWS, rows - fixedRows));
}

/** Rows the council roster may take: what the input, status and spinner leave, at least one. */
function rosterBudget(rows: number): number {
  return Math.max(1, rows - Math.max(Math.floor(rows / 3) + 2, 10) - 6);
}

function queuedRowCount(queued: number): number {
  return Math.min(queued, MAX_QUEUED_ROWS) + (queued > MAX_QUEUED_ROWS ? 1 : 0);
}

/** The rows of the answer in progress: reasoning, the answer's unfinished end, the "more" note. */
function answerRows(live: LiveView, theme: Theme): string[] {
  const rows = [...(live.reasoning ?? []), ...live.answer];
  if (live.more) rows.push(theme.dim(MORE_NOTE));
  return rows;
}

export function App(props: AppProps) {
  const { agent, theme } = props;
  const { write } = useStdout();
  const { columns, rows } = useTerminalSize();
  const [, setVersion] = useState(0);
  const [hint, setHint] = useState<string | undefined>(undefined);
  const target = useRef(props.target);
  const mounted = useRef(true);
  const nextId = useRef(1);

  const columnsRef = useRef(columns);
  columnsRef.current = columns;
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const publishRef = useRef<() => void>(() => {});
  const session = useRef<{ transcript: Transcript; approvals: ApprovalQueue } | undefined>(undefined);
  if (session.current === undefined) {
    const highlighter = createLazyHighlighter({ theme, onReady: () => publishRef.current() });
    const transcript = new Transcript({
      theme,
      width: () => columnsRef.current,
      highlighter,
      errorContext: () => ({ ...target.current }),
    });
    // A continued conversation is part of the first frame, above the prompt.
    if (props.startup) {
      transcript.replay(props.startup.messages);
      for (const notice of props.startup.notices) transcript.notice(notice, 'dim');
    }
    session.current = { transcript, approvals: props.approvals ?? new ApprovalQueue() };
  }
  const { transcript, approvals } = session.current;

  const items = useRef<StaticItem[] | undefined>(undefined);
  if (items.current === undefined) {
    const header = headerText(theme, { version: props.version, model: agent.model, provider: agent.providerId, cwd: props.cwd, home: props.home, instructions: props.conversation?.instructionFiles, session: props.sessions?.current?.id });
    items.current = [{ id: 0, text: header, lines: [header] }];
    const replayed = transcript.take();
    if (replayed.length > 0) items.current.push(staticItem(nextId.current++, replayed, columnsRef.current));
  }

  const { pane } = props;
  /** Lines sent to the scrollback through the pane (for tests; <Static> keeps its own). */
  const painted = useRef<string[]>([]);
  /** A render was asked for and has not happened yet: it will paint the pane. */
  const renderPending = useRef(false);
  const runnerRef = useRef<AgentRunner | undefined>(undefined);
  const inputBox = useRef<InputBoxHandle>(null);

  /** Sends what finished to the scrollback and the answer's unfinished end to the pane
   *  (`live`: the view a render just laid out, so it is not laid out again). */
  const paintPane = (live?: LiveView): void => {
    if (!pane) return;
    const lines = transcript.take();
    if (lines.length > 0) painted.current.push(...lines);
    const committed = lines.length === 0 ? '' : `${committedRows(lines, columnsRef.current, '').join('\n')}\n`;
    const queued = runnerRef.current?.queued.length ?? 0;
    const view = live ?? transcript.view(columnsRef.current, answerBudget(rowsRef.current, transcript.toolRows, queuedRowCount(queued)));
    pane.paint(committed, answerRows(view, theme));
  };

  const publish = useCallback(() => {
    transcript.refresh();
    if (!mounted.current) return;
    if (pane) {
      // What finished reaches the scrollback before the render that follows (the prompt
      // turning idle after the last line of an answer, not before it).
      paintPane();
    } else {
      const lines = transcript.take();
      if (lines.length > 0) items.current = [...(items.current ?? []), staticItem(nextId.current++, lines, columnsRef.current)];
    }
    renderPending.current = true;
    setVersion((v) => v + 1);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [transcript, pane]);
  publishRef.current = publish;

  /** Only the answer's text changed: with a pane, no render at all. */
  const publishText = (): void => {
    if (!pane) {
      publish();
      return;
    }
    transcript.refresh();
    if (mounted.current && !renderPending.current) paintPane();
  };

  const council = useRef<ResolvedCouncil | undefined>(undefined);
  const runner = useAgentRun({
    agent,
    transcript,
    publish,
    publishText,
    frameMs: props.frameMs,
    preflight: () => missingKey(target.current),
    council: () =>
      council.current && {
        council: council.current,
        theme,
        record: (question, result, synthesis) => props.sessions?.current?.appendCouncil(question, result, synthesis),
      },
  });
  runnerRef.current = runner;

  // After every render (a resize among the reasons): the pane is laid out for what now is.
  useLayoutEffect(() => {
    renderPending.current = false;
    paintPane(live);
  });

  const conversationsRef = useRef<Conversations | undefined>(undefined);
  conversationsRef.current ??= createConversations({
    agent,
    sessions: props.sessions,
    policy: props.policy,
    approvals,
    transcript,
    runner,
    theme,
    cwd: props.cwd,
    home: props.home,
    publish: () => publishRef.current(),
    clearScreen: () => write(CLEAR_SCREEN),
  });
  const conversations = conversationsRef.current;

  const approval = useApprovals(approvals);
  transcript.awaiting(approval.current?.call.id);

  useEffect(() => {
    props.onSession?.({ transcript, runner, approvals, committed: () => [...(items.current ?? []).flatMap((item) => item.lines), ...painted.current] });
    // A session that cannot be written is said once, in red; the chat goes on.
    props.sessions?.onError((message) => {
      transcript.notice(message, 'error');
      publishRef.current();
    });
    // Console output may come in the middle of a render (React's own): shown just after it.
    // The server's context window arrives after the first frame; a guess is said once.
    props.conversation?.window.then(
      (window) => {
        if (!mounted.current) return;
        if (window.note) transcript.notice(window.note, 'dim');
        publishRef.current();
      },
      () => {},
    );
    if (props.firstMessage) runner.submit(props.firstMessage);
    const stopLogs = props.logs?.listen((text) =>
      queueMicrotask(() => {
        transcript.notice(text, 'dim');
        publishRef.current();
      }),
    );
    return () => {
      stopLogs?.();
      mounted.current = false;
      props.sessions?.onError(undefined);
      // Nobody is left to answer: let the tool layer go on (as a denial).
      approvals.cancelAll();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const exit = useCallback(
    (code: number) => {
      runner.dispose();
      approvals.cancelAll();
      props.onExit(code);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [runner],
  );

  const decide = (request: ApprovalRequest, decision: ApprovalDecision): void => {
    if (approvals.current !== request) return;
    for (const line of decisionLines(request, decision, theme)) transcript.line(line);
    approvals.answer(request, decision);
    publish();
  };

  const commands = createSessionCommands({
    agent,
    target: () => target.current,
    setTarget: (next) => {
      target.current = next;
    },
    env: props.env,
    cwd: props.cwd,
    toggleReasoning: () => transcript.toggleReasoning(),
    lastAnswer: () => transcript.lastAnswer,
    writeTerminal: write,
    newConversation: () => conversations.newConversation(),
    listSessions: () => conversations.listSessions(),
    resume: (id) => conversations.resume(id),
    switchModel: (model, provider) => props.sessions?.switchModel(model, provider),
    setCouncil: (next) => {
      council.current = next;
    },
    council: () => council.current,
    compact: (focus) => runner.compact(focus),
    ...(props.conversation ? { instructions: props.conversation.instructions } : {}),
    exit: () => exit(0),
    print: (line, tone) => transcript.notice(line, tone),
  });

  const onSubmit = (text: string): void => {
    const command = parseSlashCommand(text);
    if (command) {
      // Commands act at once, even while an answer streams; they never reach the model.
      runSlashCommand(command, commands);
      publish();
      return;
    }
    runner.submit(text);
  };

  // ---- the live region, sized to stay well below the terminal's height --------------------
  const queued = runner.queued;
  const queuedRows = queuedRowCount(queued.length);
  const roster = runner.roster?.rows(columns, rosterBudget(rows), theme) ?? [];
  const live = transcript.view(columns, answerBudget(rows, transcript.toolRows + roster.length, queuedRows));
  // While a question is up the input box is one row: the question gets all but it, the status line and a margin.
  const liveRows = answerRows(live, theme).length + live.tools.length + roster.length + (live.waiting ? 1 : 0);
  const approvalRows = Math.max(4, rows - liveRows - queuedRows - 1 - 1 - 3);

  const status = statusText({
    model: agent.reportedModel,
    provider: target.current.provider,
    usage: agent.usage,
    contextTokens: agent.compactor ? agent.contextInUse() : transcript.contextTokens,
    contextWindow: agent.compactor?.window ?? contextWindow(agent.model),
    cacheHit: cacheHitShare(agent.lastUsage),
  });

  return (
    <>
      <Static items={items.current}>{(item) => <Text key={item.id}>{item.text}</Text>}</Static>
      <Box flexDirection="column">
        {!pane &&
          answerRows(live, theme).map((row, i) => (
            <Text key={`a${i}`} wrap="truncate-end">
              {row || ' '}
            </Text>
          ))}
        {roster.map((row, i) => (
          <Text key={`c${i}`} wrap="truncate-end">
            {row}
          </Text>
        ))}
        {live.tools.map((row, i) => (
          <Text key={`t${i}`} wrap="truncate-end">
            {row}
          </Text>
        ))}
        {live.waiting && <WaitingLine since={live.waiting.since} note={live.waiting.note} theme={theme} animate={props.animate} />}
        {queued.slice(0, MAX_QUEUED_ROWS).map((prompt, i) => (
          <Text key={`q${i}`} wrap="truncate-end">
            {theme.dim(`⋯ queued: ${prompt.replace(/\s+/g, ' ')}`)}
          </Text>
        ))}
        {queued.length > MAX_QUEUED_ROWS && <Text>{theme.dim(`⋯ +${queued.length - MAX_QUEUED_ROWS} more queued`)}</Text>}
        {approval.current && (
          <ApprovalPrompt
            request={approval.current}
            waiting={approval.waiting}
            theme={theme}
            columns={columns}
            maxRows={approvalRows}
            onDecision={decide}
            onAside={(text) => inputBox.current?.append(text)}
            onInterrupt={() => {
              conversations.interrupt();
            }}
          />
        )}
        <InputBox
          busy={runner.busy}
          suspended={approval.current !== undefined}
          handle={inputBox}
          history={props.history}
          onSubmit={onSubmit}
          onInterrupt={() => {
            conversations.interrupt();
          }}
          onExit={() => exit(0)}
          onRedraw={() => write(CLEAR_SCREEN)}
          onHint={setHint}
          placeholder={runner.busy ? BUSY_PLACEHOLDER : IDLE_PLACEHOLDER}
          width={columns}
        />
        {/* Without a key every request would fail: said from the first frame, not after a prompt. */}
        <StatusLine text={status} hint={hint} warning={missingKey(target.current)} theme={theme} />
      </Box>
    </>
  );
}
