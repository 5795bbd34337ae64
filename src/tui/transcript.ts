// The conversation as the screen shows it, built from AgentEvents without React: finished
// lines are committed (the app moves them to <Static>, printed once, never repainted) and a
// small live state holds only what is unfinished: the answer's current line, code or table
// rows still held, reasoning in progress, tool calls in progress, the waiting spinner.
//
// Every method does work proportional to its input, never to the answer so far: text is split
// into lines as it arrives, the unfinished line is kept as chunks, and the live view reads only
// the end of it.

import type { AgentEvent, RunResult } from '../agent/events.js';
import type { AssistantMessage, ChatMessage, ProviderError } from '../agent/types.js';
import { createTerminalSanitizer, sanitizeForTerminal, type TerminalSanitizer } from '../stream/sanitize.js';
import { errorLine, formatTokens, type ErrorContext } from './format.js';
import { MarkdownRenderer, type CodeHighlighter } from './markdown.js';
import { promptLines, replayLines } from './replay.js';
import { wrapRows } from './text-width.js';
import type { Theme } from './theme.js';
import { ReasoningStream } from './transcript-reasoning.js';
import { Tail } from './transcript-tail.js';
import { LiveTools, type LiveTool } from './transcript-tools.js';
import { describeResult, oneLine, toolLine, type ToolOutcome } from './tool-summary.js';

export type Phase = 'idle' | 'waiting' | 'streaming';

export interface TranscriptOptions {
  theme: Theme;
  /** Terminal columns (for rules); the live view takes its width as an argument. */
  width?: () => number;
  highlighter?: CodeHighlighter;
  /** Show reasoning in full instead of one summary line. */
  showReasoning?: boolean;
  errorContext: () => ErrorContext;
  now?: () => number;
}

export interface LiveView {
  phase: Phase;
  /** Set while waiting for the first visible output: when the wait began, and why (retrying…). */
  waiting?: { since: number; note?: string };
  /** Reasoning in progress (when it is not shown in full): the "thinking" label and last rows. */
  reasoning?: string[];
  /** The unfinished end of the answer, one entry per terminal row. */
  answer: string[];
  /** The answer's live part was cut to its last rows ("… more below, streaming"). */
  more: boolean;
  /** One row per tool call in progress. */
  tools: string[];
  /** The last rows of what slash commands printed while the answer streams (see aside). */
  asides: string[];
}

/** Rows of held command output the live view shows (all of it reaches the scrollback). */
const ASIDE_ROWS = 3;


export class Transcript {
  readonly #theme: Theme;
  readonly #options: TranscriptOptions;
  readonly #now: () => number;
  readonly #markdown: MarkdownRenderer;
  #committed: string[] = [];

  #phase: Phase = 'idle';
  #waitingSince = 0;
  #waitingNote: string | undefined;

  // the answer being streamed
  #text: TerminalSanitizer = createTerminalSanitizer();
  #tail = new Tail();
  #answerParts: string[] = [];

  readonly #reasoning: ReasoningStream;
  #tools = new LiveTools();
  /** Lines of hermes' own held while an answer's line is unfinished (see aside). */
  #asides: string[] = [];

  /** The last answer's text, for /copy. */
  lastAnswer = '';
  /** Prompt + answer tokens of the last request: how full the context is. */
  contextTokens: number | undefined;

  constructor(options: TranscriptOptions) {
    this.#options = options;
    this.#theme = options.theme;
    this.#now = options.now ?? Date.now;
    this.#reasoning = new ReasoningStream(options.theme, this.#now, options.showReasoning ?? false, (line) => this.#commit(line));
    this.#markdown = new MarkdownRenderer({ theme: options.theme, width: options.width, highlighter: options.highlighter });
  }

  get phase(): Phase {
    return this.#phase;
  }

  /** Rows the tool calls in progress and held command output take in the live view. */
  get toolRows(): number {
    return this.#tools.rows + Math.min(this.#asides.length, ASIDE_ROWS);
  }

  /** Lines committed since the last call; the caller prints them once. */
  take(): string[] {
    const lines = this.#committed;
    this.#committed = [];
    return lines;
  }

  /** A line of hermes' own (command output, notices); never model text. */
  notice(line: string, tone: 'info' | 'error' | 'dim' = 'info'): void {
    for (const styled of this.#noticeLines(line, tone)) this.#commit(styled);
  }

  #noticeLines(line: string, tone: 'info' | 'error' | 'dim'): string[] {
    const t = this.#theme;
    return sanitizeForTerminal(line)
      .split('\n')
      .map((part) => (tone === 'error' ? t.red(part) : tone === 'dim' ? t.dim(part) : part));
  }

  /** A finished line of hermes' own, already styled; whoever built it sanitised what it holds. */
  line(styled: string): void {
    this.#commit(styled);
  }

  /** A line of hermes' own that is not part of the run (a slash command's echo and output):
   *  while the answer is streaming it would land in the middle of the answer's text, so it is
   *  held (the live view shows its end) and committed once the answer's segment closes. */
  aside(line: string, tone: 'info' | 'error' | 'dim' = 'info'): void {
    const lines = this.#noticeLines(line, tone);
    if (this.#phase === 'streaming') this.#asides.push(...lines);
    else for (const styled of lines) this.#commit(styled);
  }

  /** The user sent a prompt: it goes to the scrollback and the spinner starts. */
  prompt(text: string): void {
    for (const line of promptLines(text, this.#theme)) this.#commit(line);
    this.#startRun();
  }

  /** A stored conversation (a continued or resumed session), drawn as it looked. */
  replay(messages: readonly ChatMessage[]): void {
    // Its own renderer: a resume never shares fence or table state with a live answer.
    const markdown = new MarkdownRenderer({ theme: this.#theme, width: this.#options.width, highlighter: this.#options.highlighter });
    for (const line of replayLines(messages, this.#theme, markdown)) this.#commit(line);
    const last = messages.findLast((m): m is AssistantMessage => m.role === 'assistant' && m.content !== '');
    this.lastAnswer = last?.content ?? '';
    this.contextTokens = undefined;
  }

  /** The user decided on a call's approval: said on the call's line once it is over, so the
   *  scrollback keeps one line per call. `command` is what was approved, whole. */
  decided(callId: string, label: string, command: string[], fallback: string[]): void {
    if (!this.#tools.decide(callId, label, command)) for (const line of fallback) this.#commit(line);
  }

  /** The tool call waiting for the user's approval (its live row says so), or undefined. */
  awaiting(callId: string | undefined): void {
    this.#tools.awaiting(callId);
  }

  #startRun(): void {
    this.#phase = 'waiting';
    this.#waitingSince = this.#now();
    this.#waitingNote = undefined;
    this.#answerParts = [];
    this.#tools.clear();
  }

  /** Applies a batch of answer text (already coalesced). */
  text(delta: string): void {
    const safe = this.#text.push(delta);
    if (safe === '') return;
    this.#reasoning.end();
    this.#phase = 'streaming';
    this.#answerParts.push(safe);
    let start = 0;
    for (let nl = safe.indexOf('\n'); nl !== -1; nl = safe.indexOf('\n', start)) {
      this.#tail.push(safe.slice(start, nl));
      this.#commitAnswerLine(this.#tail.take());
      start = nl + 1;
    }
    this.#tail.push(start === 0 ? safe : safe.slice(start));
  }

  /** Applies a batch of reasoning text. */
  reasoning(delta: string): void {
    // reasoning after answer text (a new request after tools): the text segment is over
    if (this.#reasoning.push(delta, () => this.#closeAnswer()) !== '') this.#phase = 'streaming';
  }

  /** /reasoning: switches between the summary line and the full text; returns the new mode. */
  toggleReasoning(): boolean {
    return this.#reasoning.toggle();
  }

  /** The highlighter has loaded: commit code that waited for it. */
  refresh(): void {
    for (const line of this.#markdown.drain()) this.#commit(line);
  }

  event(event: AgentEvent): void {
    switch (event.type) {
      case 'text':
        this.text(event.delta);
        return;
      case 'reasoning':
        this.reasoning(event.delta);
        return;
      case 'request_start':
        if (this.#phase !== 'waiting') {
          this.#phase = 'waiting';
          this.#waitingSince = this.#now();
        }
        return;
      case 'first_delta':
        this.#phase = 'streaming';
        this.#waitingNote = undefined;
        return;
      case 'retrying':
        this.#waitingNote = `retrying in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${event.attempt}): ${oneLine(event.reason)}`;
        return;
      case 'fallback':
        this.#waitingNote = oneLine(event.reason);
        return;
      case 'tool_call_start':
        this.#reasoning.end();
        this.#tools.begin(event.id, event.name);
        return;
      case 'tool_call':
        this.#reasoning.end();
        this.#tools.arguments(event.id, event.name, event.arguments);
        return;
      case 'message':
        this.#reasoning.end();
        this.#closeAnswer();
        if (event.message.toolCalls.length === 0) this.lastAnswer = event.message.content;
        return;
      case 'tool_started':
        this.#tools.started(event.id, event.name, event.arguments);
        return;
      case 'tool_finished': {
        const tool = this.#tools.finished(event.id, event.name);
        this.#commitTool(tool, event.isError ? 'failed' : 'done', describeResult(event.content, event.isError));
        // the model is asked again with the results: wait for it
        if (this.#tools.length === 0) {
          this.#phase = 'waiting';
          this.#waitingSince = this.#now();
        }
        return;
      }
      case 'usage':
        this.contextTokens = event.usage.inputTokens + event.usage.outputTokens;
        return;
      case 'compacting':
        this.#waitingNote = 'compacting the conversation to fit the context window…';
        return;
      case 'compacted':
        this.#waitingNote = undefined;
        this.notice(`compacted ${formatTokens(event.before)} → ${formatTokens(event.after)} tokens${event.summarised ? ' (older messages summarised)' : ' (older tool output shortened)'}`, 'dim');
        return;
      case 'interrupted':
        this.interrupt();
        return;
      case 'error':
        this.#fail(event.error, event.partial);
        return;
      case 'finished':
        this.#finish(event.result);
        return;
    }
  }

  /** The user interrupted: what arrived stays, marked; everything live is closed. */
  interrupt(): void {
    if (this.#phase === 'idle') return;
    const t = this.#theme;
    this.#reasoning.end();
    this.#closeAnswer();
    const answer = this.#answerParts.join('');
    for (const tool of this.#tools.drain()) this.#commitTool(tool, 'interrupted', 'interrupted');
    this.#commit(t.yellow('⏹ interrupted'));
    if (answer !== '') this.lastAnswer = answer;
    this.#idle();
  }

  #fail(error: ProviderError, partial: boolean): void {
    this.#reasoning.end();
    this.#closeAnswer();
    for (const tool of this.#tools.drain()) this.#commitTool(tool, 'failed', 'not run');
    this.#commit(this.#theme.red(`✗ ${errorLine(error, partial, this.#options.errorContext())}`));
  }

  #finish(result: RunResult): void {
    if (this.#phase === 'idle') return;
    const t = this.#theme;
    this.#reasoning.end();
    this.#closeAnswer();
    for (const tool of this.#tools.drain()) this.#commitTool(tool, 'failed', 'not run');
    const content = result.message?.content;
    if (content !== undefined && content !== '') this.lastAnswer = content;
    if (result.status === 'max_turns') this.#commit(t.yellow('⚠ stopped: the model asked for tools more times than allowed (maxTurns); ask it to go on'));
    else if (result.contextFull) this.#commit(t.yellow('⚠ the answer was cut off: the context window is full; /compact it or start a new conversation (/clear)'));
    else if (result.status === 'completed' && result.stopReason === 'length') this.#commit(t.yellow('⚠ the answer was cut off at the output token limit'));
    this.#idle();
  }

  /** An error that is not the model's (no API key, a provider that would not load). */
  failBeforeStart(message: string): void {
    this.#commit(this.#theme.red(`✗ ${sanitizeForTerminal(message)}`));
    this.#idle();
  }

  #idle(): void {
    this.#phase = 'idle';
    this.#waitingNote = undefined;
    this.#text = createTerminalSanitizer();
    this.#reasoning.reset();
  }

  // ---- answer text ------------------------------------------------------------------------

  #commitAnswerLine(line: string): void {
    for (const rendered of this.#markdown.line(line)) this.#commit(rendered);
  }

  /** Ends the text segment: the unfinished line and anything held are committed. */
  #closeAnswer(): void {
    const rest = this.#text.flush();
    if (rest !== '') {
      this.#tail.push(rest);
      this.#answerParts.push(rest);
    }
    if (!this.#tail.empty) this.#commitAnswerLine(this.#tail.take());
    for (const line of this.#markdown.end()) this.#commit(line);
    for (const line of this.#asides.splice(0)) this.#commit(line);
  }

  // ---- tools ------------------------------------------------------------------------------

  #commitTool(tool: LiveTool, outcome: ToolOutcome, summary: string): void {
    const decision = tool.decision;
    if (!decision) return this.#commit(toolLine(this.#theme, tool.name, tool.args, outcome, summary));
    const result = decision.label === '' ? summary : `${decision.label} · ${summary}`;
    const [first = '', ...rest] = decision.command;
    if (rest.length === 0) return this.#commit(toolLine(this.#theme, tool.name, first, outcome, result));
    this.#commit(`${toolLine(this.#theme, tool.name, undefined, outcome, result)}:`);
    for (const line of decision.command) this.#commit(`    ${line}`);
  }

  // ---- output -----------------------------------------------------------------------------

  #commit(line: string): void {
    this.#committed.push(line);
  }

  /**
   * The live part for a terminal `width` columns wide, the answer in at most `maxRows` rows.
   * Reads only the end of the unfinished text.
   */
  view(width: number, maxRows: number): LiveView {
    const t = this.#theme;
    const columns = Math.max(10, width - 1);
    const rows = Math.max(2, maxRows);
    const view: LiveView = { phase: this.#phase, answer: [], more: false, tools: [], asides: this.#asides.slice(-ASIDE_ROWS) };
    if (this.#phase === 'waiting') view.waiting = { since: this.#waitingSince, note: this.#waitingNote };

    view.reasoning = this.#reasoning.view(columns, rows);

    const answerRows = Math.max(2, rows - (view.reasoning?.length ?? 0));
    if (this.#tail.width > answerRows * columns) {
      // one long unbroken line: only its end, plain (markdown needs the whole line)
      const end = this.#tail.last(answerRows * columns);
      view.answer = wrapRows(end, columns).slice(-(answerRows - 1));
      view.more = true;
    } else {
      const lines = this.#markdown.held(answerRows + 1);
      if (!this.#tail.empty) lines.push(...this.#markdown.preview(this.#tail.all()));
      const wrapped = lines.flatMap((line) => (line === '' ? [''] : wrapRows(line, columns)));
      if (wrapped.length > answerRows) {
        view.answer = wrapped.slice(-(answerRows - 1));
        view.more = true;
      } else {
        view.answer = wrapped;
      }
    }

    view.tools = this.#tools.view(t);
    return view;
  }
}
