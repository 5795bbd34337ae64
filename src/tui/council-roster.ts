// The live roster while a council's members answer: at most one row per member (spinner or
// outcome, name, tokens per second, the latest words of its answer), never more rows than it is
// given, each cut to the width. Finished answers leave the roster for the scrollback as blocks.

import { sanitizeForTerminal } from '../stream/sanitize.js';
import { cropToWidth, lastColumns } from './text-width.js';
import type { Theme } from './theme.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const RECENT_CHARS = 400;

interface Member {
  name: string;
  state: 'answering' | 'done' | 'failed';
  deltas: number;
  started: number;
  ended?: number;
  recent: string;
}

export class CouncilRosterView {
  readonly #members: Member[];
  readonly #now: () => number;

  constructor(names: readonly string[], now: () => number = Date.now) {
    this.#now = now;
    const started = now();
    this.#members = names.map((name) => ({ name: sanitizeForTerminal(name), state: 'answering', deltas: 0, started, recent: '' }));
  }

  delta(name: string, text: string): void {
    const member = this.#find(name);
    if (!member) return;
    member.deltas++;
    member.recent = (member.recent + text).slice(-RECENT_CHARS);
  }

  finish(name: string, ok: boolean): void {
    const member = this.#find(name);
    if (!member) return;
    member.state = ok ? 'done' : 'failed';
    member.ended = this.#now();
  }

  /** One row per member, or fewer with a "+N more" row when `maxRows` is smaller. */
  rows(width: number, maxRows: number, theme: Theme): string[] {
    const columns = Math.max(10, width - 1);
    const budget = Math.max(1, maxRows);
    const frame = SPINNER[Math.floor(this.#now() / 80) % SPINNER.length]!;
    const rows = this.#members.map((member) => this.#row(member, columns, frame, theme));
    if (rows.length <= budget) return rows;
    const shown = rows.slice(0, budget - 1);
    shown.push(theme.dim(`  +${rows.length - shown.length} more members`));
    return shown;
  }

  #row(member: Member, columns: number, frame: string, theme: Theme): string {
    const seconds = Math.max(0.001, ((member.ended ?? this.#now()) - member.started) / 1000);
    const mark = member.state === 'answering' ? theme.cyan(frame) : member.state === 'done' ? theme.green('✓') : theme.red('✗');
    const rate = `${Math.round(member.deltas / seconds)} tok/s`;
    const head = `${mark} ${theme.bold(member.name)} ${theme.dim(rate)} `;
    const room = Math.max(0, columns - (member.name.length + rate.length + 4));
    const words = lastColumns(sanitizeForTerminal(member.recent).replace(/\s+/g, ' '), room);
    return cropToWidth(head + theme.dim(words), columns);
  }

  #find(name: string): Member | undefined {
    return this.#members.find((member) => member.name === sanitizeForTerminal(name));
  }
}
