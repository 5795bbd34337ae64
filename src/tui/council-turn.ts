// One prompt put to a council in the chat: the roster is live while members answer; each
// finished answer goes to the scrollback as a block under its name (so nothing interleaves);
// the synthesis then streams like any answer under "synthesis (chair: x)" or "partial
// synthesis". Only the synthesis continues the conversation; the session keeps every answer.

import type { Agent } from '../agent/agent.js';
import { runCouncil } from '../agent/council/council.js';
import type { CouncilEvent, CouncilResult } from '../agent/council/events.js';
import type { ResolvedCouncil } from '../agent/council/resolve.js';
import { emptyAssistantMessage, type ChatMessage } from '../agent/types.js';
import { sanitizeForTerminal } from '../stream/sanitize.js';
import { CouncilRosterView } from './council-roster.js';
import type { Theme } from './theme.js';
import type { Transcript } from './transcript.js';

const FRAME_MS = 50;

export interface CouncilSetup {
  council: ResolvedCouncil;
  theme: Theme;
  /** Stores the turn (question, council record, synthesis) in the session. */
  record?: (question: ChatMessage, council: CouncilResult, synthesis: ChatMessage | undefined) => void;
}

export interface CouncilTurnOptions extends CouncilSetup {
  agent: Agent;
  transcript: Transcript;
  prompt: string;
  signal: AbortSignal;
  /** Still the current run (not interrupted). */
  current: () => boolean;
  /** The roster (or undefined) for the live region. */
  showRoster: (roster: CouncilRosterView | undefined) => void;
  /** Synthesis text, coalesced into frames by the caller. */
  text: (delta: string) => void;
  flushText: () => void;
  publish: () => void;
}

export async function runCouncilTurn(options: CouncilTurnOptions): Promise<void> {
  const { agent, transcript, theme, council } = options;
  const roster = new CouncilRosterView(council.members.map((m) => m.name));
  options.showRoster(roster);
  let result: CouncilResult | undefined;
  let missing = false;
  let drawnAt = 0;
  let redraw: NodeJS.Timeout | undefined;
  const handle = (event: CouncilEvent): void => {
    switch (event.type) {
      case 'member_delta':
        roster.delta(event.member, event.delta);
        // The roster is redrawn a frame at a time, not for every token; a delta that comes
        // inside a frame is drawn at its end, so the last words never wait for another event.
        if (performance.now() - drawnAt < FRAME_MS) {
          redraw ??= setTimeout(() => {
            redraw = undefined;
            drawnAt = performance.now();
            if (options.current()) options.publish();
          }, FRAME_MS);
          return;
        }
        drawnAt = performance.now();
        break;
      case 'member_done':
        roster.finish(event.member, true);
        transcript.line(theme.bold(`── ${sanitizeForTerminal(event.member)}`));
        for (const line of sanitizeForTerminal(event.text).split('\n')) transcript.line(line);
        break;
      case 'member_error':
        roster.finish(event.member, false);
        missing = true;
        if (event.error.kind !== 'aborted') transcript.notice(`✗ ${event.member}: ${event.error.message}`, 'error');
        break;
      case 'synthesis_start':
        options.showRoster(undefined);
        if (event.replaces) {
          options.flushText();
          transcript.event({ type: 'message', message: emptyAssistantMessage() });
          transcript.notice(`chair ${event.replaces} failed; ${event.chair} writes the synthesis`, 'error');
        }
        transcript.line(theme.bold(`${missing || event.replaces ? 'partial synthesis' : 'synthesis'} (chair: ${sanitizeForTerminal(event.chair)})`));
        transcript.event({ type: 'first_delta' });
        break;
      case 'synthesis_delta':
        options.text(event.delta);
        return;
      case 'synthesis_error':
        if (event.error.kind !== 'aborted') transcript.notice(`✗ chair ${event.chair}: ${event.error.message}`, 'error');
        break;
      case 'council_done':
        result = event.result;
        options.showRoster(undefined);
        break;
      default:
        return;
    }
    options.publish();
  };
  const history = [...agent.history];
  for await (const event of runCouncil({ members: council.members, chair: council.chair, review: council.review, ...(agent.system !== undefined ? { system: agent.system } : {}), history, prompt: options.prompt }, options.signal)) {
    if (options.current()) handle(event);
  }
  if (redraw) clearTimeout(redraw);
  if (!result) return;
  const question: ChatMessage = { role: 'user', content: options.prompt };
  const synthesis = result.synthesis !== undefined ? { ...emptyAssistantMessage(), content: result.synthesis, ...(result.status === 'interrupted' ? { interrupted: true } : {}) } : undefined;
  agent.load([...history, question, ...(synthesis ? [synthesis] : [])]);
  options.record?.(question, result, synthesis);
  if (!options.current()) return;
  options.flushText();
  transcript.event({ type: 'message', message: synthesis ?? emptyAssistantMessage() });
  if (result.status === 'partial') transcript.notice(`partial council: ${result.reason ?? ''}`, 'dim');
  if (result.status === 'failed') transcript.notice(`the council failed: ${result.reason ?? 'no synthesis'}`, 'error');
  transcript.event({ type: 'finished', result: { status: 'completed', usage: result.usage.total } });
  options.publish();
}
