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
import { displayWidth, lastColumns, wrapRows } from './text-width.js';
import type { Theme } from './theme.js';
import { describeArguments, describeResult, oneLine, toolLine, type ToolOutcome } from './tool-summary.js';

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
}

interface LiveTool {
  id: string;
  name: string;
  args?: string;
  running: boolean;
}

/** The unfinished line, kept as chunks so appending never copies what came before. */
class Tail {
  chunks: string[] = [];
  width = 0;

  get empty(): boolean {
    return this.chunks.length === 0;
  }

  push(text: string): void {
    if (text === '') return;
    this.chunks.push(text);
    this.width += displayWidth(text);
  }

  take(): string {
    const text = this.chunks.join('');
    this.chunks = [];
    this.width = 0;
    return text;
  }

  /** The last `columns` columns (reads only the chunks it needs). */
  last(columns: number): string {
    // a column is at most two UTF-16 units, so this many units always cover `columns`
    const units = columns * 2;
    let out = '';
    for (let i = this.chunks.length - 1; i >= 0 && out.length < units; i--) {
      const chunk = this.chunks[i] ?? '';
      out = (chunk.length > units ? chunk.slice(-units) : chunk) + out;
    }
    return lastColumns(out, columns);
  }

  all(): string {
    return this.chunks.length === 1 ? (this.chunks[0] ?? '') : this.chunks.join('');
  }
}

const REASONING_ROWS = 3;
const MAX_TOOL_ROWS = 4;

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

  // reasoning being streamed
  #reasoning: TerminalSanitizer = createTerminalSanitizer();
  #reasoningOpen = false;
  #reasoningFull: boolean;
  #reasoningShownFull = false; // this segment's label and lines are being committed
  #reasoningTail = new Tail(); // unfinished line (full mode)
  #reasoningRecent = new Tail(); // the latest reasoning text (collapsed live view)
  #reasoningWords = 0;
  #words = new WordCounter();
  /** The whole reasoning of the latest segment, so /reasoning can still show it. */
  #reasoningText: string[] = [];
  #reasoningStart = 0;

  #tools: LiveTool[] = [];
  #awaitingId: string | undefined;

  /** The last answer's text, for /copy. */
  lastAnswer = '';
  /** Prompt + answer tokens of the last request: how full the context is. */
  contextTokens: number | undefined;

  constructor(options: TranscriptOptions) {
    this.#options = options;
    this.#theme = options.theme;
    this.#now = options.now ?? Date.now;
    this.#reasoningFull = options.showReasoning ?? false;
    this.#markdown = new MarkdownRenderer({ theme: options.theme, width: options.width, highlighter: options.highlighter });
  }

  get phase(): Phase {
    return this.#phase;
  }

  /** Rows the tool calls in progress take in the live view. */
  get toolRows(): number {
    return Math.min(this.#tools.length, MAX_TOOL_ROWS) + (this.#tools.length > MAX_TOOL_ROWS ? 1 : 0);
  }

  /** Lines committed since the last call; the caller prints them once. */
  take(): string[] {
    const lines = this.#committed;
    this.#committed = [];
    return lines;
  }

  /** A line of hermes' own (command output, notices); never model text. */
  notice(line: string, tone: 'info' | 'error' | 'dim' = 'info'): void {
    const t = this.#theme;
    const safe = sanitizeForTerminal(line);
    for (const part of safe.split('\n')) {
      this.#commit(tone === 'error' ? t.red(part) : tone === 'dim' ? t.dim(part) : part);
    }
  }

  /** A finished line of hermes' own, already styled; whoever built it sanitised what it holds. */
  line(styled: string): void {
    this.#commit(styled);
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

  /** The tool call waiting for the user's approval (its live row says so), or undefined. */
  awaiting(callId: string | undefined): void {
    this.#awaitingId = callId;
  }

  #startRun(): void {
    this.#phase = 'waiting';
    this.#waitingSince = this.#now();
    this.#waitingNote = undefined;
    this.#answerParts = [];
    this.#tools = [];
  }

  /** Applies a batch of answer text (already coalesced). */
  text(delta: string): void {
    const safe = this.#text.push(delta);
    if (safe === '') return;
    this.#endReasoning();
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
    const safe = this.#reasoning.push(delta);
    if (safe === '') return;
    this.#phase = 'streaming';
    if (!this.#reasoningOpen) {
      // reasoning after answer text (a new request after tools): the text segment is over
      this.#closeAnswer();
      this.#reasoningOpen = true;
      this.#reasoningWords = 0;
      this.#words = new WordCounter();
      this.#reasoningText = [];
      this.#reasoningStart = this.#now();
      this.#reasoningRecent = new Tail();
      this.#reasoningTail = new Tail();
      this.#reasoningShownFull = false;
    }
    this.#reasoningWords += this.#words.count(safe);
    this.#reasoningText.push(safe);
    this.#reasoningRecent.push(safe);
    // keep the recent text bounded: the live view needs only its last rows
    if (this.#reasoningRecent.chunks.length > 256) {
      const recent = this.#reasoningRecent.last(4096);
      this.#reasoningRecent = new Tail();
      this.#reasoningRecent.push(recent);
    }
    if (this.#reasoningFull) this.#reasoningLines(safe);
  }

  /** /reasoning: switches between the summary line and the full text; returns the new mode. */
  toggleReasoning(): boolean {
    this.#reasoningFull = !this.#reasoningFull;
    if (this.#reasoningFull && this.#reasoningOpen && !this.#reasoningShownFull) {
      // mid-stream: what came so far is printed now, the rest as it arrives
      this.#reasoningTail = new Tail();
      this.#reasoningLines(this.#reasoningText.join(''));
    } else if (this.#reasoningFull && !this.#reasoningOpen && this.#reasoningText.length > 0 && !this.#reasoningShownFull) {
      // after the answer: the collapsed reasoning of the last answer, in full
      this.#reasoningLines(this.#reasoningText.join(''));
      if (!this.#reasoningTail.empty) this.#commit(this.#theme.dim(`  ${this.#reasoningTail.take()}`));
    }
    return this.#reasoningFull;
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
        this.#endReasoning();
        this.#tools.push({ id: event.id, name: oneLine(event.name), running: false });
        return;
      case 'tool_call': {
        this.#endReasoning();
        let tool = this.#tools.find((candidate) => candidate.id === event.id);
        if (!tool) {
          tool = { id: event.id, name: oneLine(event.name), running: false };
          this.#tools.push(tool);
        }
        tool.args = describeArguments(event.arguments);
        return;
      }
      case 'message':
        this.#endReasoning();
        this.#closeAnswer();
        if (event.message.toolCalls.length === 0) this.lastAnswer = event.message.content;
        return;
      case 'tool_started': {
        const tool = this.#tools.find((candidate) => candidate.id === event.id);
        if (tool) {
          tool.running = true;
          tool.args ??= describeArguments(event.arguments);
        } else {
          this.#tools.push({ id: event.id, name: oneLine(event.name), args: describeArguments(event.arguments), running: true });
        }
        return;
      }
      case 'tool_finished': {
        const index = this.#tools.findIndex((candidate) => candidate.id === event.id);
        const tool = index === -1 ? { id: event.id, name: oneLine(event.name), running: true } : this.#tools[index]!;
        if (index !== -1) this.#tools.splice(index, 1);
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
    this.#endReasoning();
    this.#closeAnswer();
    const answer = this.#answerParts.join('');
    for (const tool of this.#tools) this.#commitTool(tool, 'interrupted', 'interrupted');
    this.#tools = [];
    this.#commit(t.yellow('⏹ interrupted'));
    if (answer !== '') this.lastAnswer = answer;
    this.#idle();
  }

  #fail(error: ProviderError, partial: boolean): void {
    this.#endReasoning();
    this.#closeAnswer();
    for (const tool of this.#tools) this.#commitTool(tool, 'failed', 'not run');
    this.#tools = [];
    this.#commit(this.#theme.red(`✗ ${errorLine(error, partial, this.#options.errorContext())}`));
  }

  #finish(result: RunResult): void {
    if (this.#phase === 'idle') return;
    const t = this.#theme;
    this.#endReasoning();
    this.#closeAnswer();
    for (const tool of this.#tools) this.#commitTool(tool, 'failed', 'not run');
    this.#tools = [];
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
    this.#reasoning = createTerminalSanitizer();
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
  }

  // ---- reasoning --------------------------------------------------------------------------

  #reasoningLines(safe: string): void {
    const t = this.#theme;
    if (!this.#reasoningShownFull) {
      this.#reasoningShownFull = true;
      this.#commit(t.dim(t.italic('thinking')));
    }
    let start = 0;
    for (let nl = safe.indexOf('\n'); nl !== -1; nl = safe.indexOf('\n', start)) {
      this.#reasoningTail.push(safe.slice(start, nl));
      this.#commit(t.dim(`  ${this.#reasoningTail.take()}`));
      start = nl + 1;
    }
    this.#reasoningTail.push(start === 0 ? safe : safe.slice(start));
  }

  /** The answer (or a tool call) began: reasoning collapses to one line, or its last line goes. */
  #endReasoning(): void {
    if (!this.#reasoningOpen) return;
    const t = this.#theme;
    this.#reasoningOpen = false;
    const rest = this.#reasoning.flush();
    if (this.#reasoningShownFull) {
      if (rest !== '') this.#reasoningTail.push(rest);
      if (!this.#reasoningTail.empty) this.#commit(t.dim(`  ${this.#reasoningTail.take()}`));
      return;
    }
    const seconds = Math.max(1, Math.round((this.#now() - this.#reasoningStart) / 1000));
    const words = this.#reasoningWords === 1 ? '1 word' : `${this.#reasoningWords} words`;
    this.#commit(t.dim(`✻ thought for ${seconds} s · ${words} (/reasoning shows it in full)`));
  }

  // ---- tools ------------------------------------------------------------------------------

  #commitTool(tool: LiveTool, outcome: ToolOutcome, summary: string): void {
    this.#commit(toolLine(this.#theme, tool.name, tool.args, outcome, summary));
  }

  #toolRow(tool: LiveTool): string {
    const t = this.#theme;
    const args = tool.args ? ` ${tool.args}` : '';
    const state = tool.id === this.#awaitingId ? 'waiting for your approval' : tool.running ? 'running…' : 'preparing…';
    return `${t.cyan('⚙')} ${t.bold(tool.name)}${args} ${t.dim(state)}`;
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
    const view: LiveView = { phase: this.#phase, answer: [], more: false, tools: [] };
    if (this.#phase === 'waiting') view.waiting = { since: this.#waitingSince, note: this.#waitingNote };

    if (this.#reasoningOpen) {
      const full = this.#reasoningShownFull;
      const budget = Math.min(REASONING_ROWS, rows - 1);
      const recent = full ? this.#reasoningTail.last(budget * columns) : this.#reasoningRecent.last(budget * columns);
      const wrapped = wrapRows(recent.replace(/\n+/g, ' ').trim(), columns - 2).slice(-budget);
      view.reasoning = full ? wrapped.map((row) => t.dim(`  ${row}`)) : [t.dim(t.italic('thinking…')), ...wrapped.map((row) => t.dim(`  ${row}`))];
    }

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

    const shown = this.#tools.slice(0, MAX_TOOL_ROWS).map((tool) => this.#toolRow(tool));
    if (this.#tools.length > MAX_TOOL_ROWS) shown.push(t.dim(`  +${this.#tools.length - MAX_TOOL_ROWS} more`));
    view.tools = shown;
    return view;
  }
}

/** Counts words across deltas: a word split over two deltas counts once. */
class WordCounter {
  #inWord = false;

  count(text: string): number {
    let words = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const space = c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
      if (!space && !this.#inWord) words++;
      this.#inWord = !space;
    }
    return words;
  }
}

