// A council: every member answers the same question at once, each streaming live; with review,
// each ranks the anonymised answers; then the chair streams a synthesis. The stages, quorum and
// chair fallback live here; how anything is shown is the front door's business.

import type { ChatMessage, Usage } from '../types.js';
import type { CouncilEvent, CouncilFailure, CouncilResult, CouncilStatus, MemberResult, ReviewResult } from './events.js';
import { EventQueue } from './queue.js';
import { labelAnswers, parseRanking, reviewPrompt } from './review.js';
import { askSeat, type CouncilSeat, type SeatOutcome } from './seat.js';
import { synthesisPrompt } from './synthesis.js';

export interface CouncilOptions {
  members: readonly CouncilSeat[];
  /** Default: the first member. */
  chair?: CouncilSeat;
  review?: boolean;
  /** raw: stop after the members' answers. */
  mode?: 'full' | 'raw';
  /** Answers needed to go on (default 2, or every member of a smaller council). */
  quorum?: number;
  system?: string;
  /** The conversation so far (every member and the chair get it). */
  history?: readonly ChatMessage[];
  prompt: string;
}

export const DEFAULT_QUORUM = 2;

/** Runs the council to the end; the last event is always council_done. Never throws. */
export async function* runCouncil(options: CouncilOptions, signal: AbortSignal = new AbortController().signal): AsyncGenerator<CouncilEvent> {
  const members = options.members;
  const chair = options.chair ?? members[0]!;
  const mode = options.mode ?? 'full';
  const review = mode === 'full' && options.review === true;
  const quorum = Math.min(options.quorum ?? DEFAULT_QUORUM, members.length);
  const history = options.history ?? [];
  const usage = new UsageBook();
  yield { type: 'council_start', members: members.map((m) => m.name), chair: chair.name, review, mode, quorum };

  // Stage 1: every member at once; one abort per member, all tied to the run's signal.
  const queue = new EventQueue<CouncilEvent>();
  const results: MemberResult[] = [];
  const answering = Promise.all(
    members.map(async (seat, index) => {
      queue.push({ type: 'member_start', member: seat.name });
      const outcome = await askSeat(seat, {
        ...(options.system !== undefined ? { system: options.system } : {}),
        history,
        prompt: options.prompt,
        signal,
        onText: (delta) => queue.push({ type: 'member_delta', member: seat.name, delta }),
        onReasoning: (delta) => queue.push({ type: 'member_reasoning_delta', member: seat.name, delta }),
      });
      usage.add(seat.name, outcome.usage);
      results[index] = { name: seat.name, ...outcome };
      if (outcome.state === 'answered') queue.push({ type: 'member_done', member: seat.name, text: outcome.text, usage: outcome.usage, ms: outcome.ms });
      else queue.push({ type: 'member_error', member: seat.name, error: outcome.error!, text: outcome.text, ms: outcome.ms });
    }),
  );
  yield* queue.drain(answering);

  const answered = results.filter((r) => r.state === 'answered');
  const missing = results.filter((r) => r.state !== 'answered').map((r) => r.name);
  const reviews: ReviewResult[] = [];
  const finish = (status: CouncilStatus, extra: Partial<CouncilResult> = {}): CouncilEvent => ({
    type: 'council_done',
    result: { status, members: results, missing, reviews, ...extra, usage: usage.summary() },
  });

  if (signal.aborted) return yield finish('interrupted', { reason: 'interrupted' });
  if (answered.length < quorum) {
    return yield finish('failed', { reason: `only ${answered.length} of ${members.length} members answered (quorum ${quorum})` });
  }
  if (mode === 'raw') return yield finish(missing.length > 0 ? 'partial' : 'complete', missing.length > 0 ? { reason: `no answer from ${missing.join(', ')}` } : {});

  // Stage 2: reviews, concurrently, each reviewer ranking every answer anonymised.
  if (review) {
    const labelled = labelAnswers(answered);
    const prompt = reviewPrompt(options.prompt, labelled);
    const byLabel = new Map(labelled.map((answer) => [answer.label, answer.name]));
    const reviewing = Promise.all(
      answered.map(async (member) => {
        const seat = members.find((m) => m.name === member.name)!;
        const outcome = await askSeat(seat, { ...(options.system !== undefined ? { system: options.system } : {}), history: [], prompt, signal });
        usage.add(seat.name, outcome.usage);
        const ranking = outcome.state === 'answered' ? parseRanking(outcome.text, [...byLabel.keys()]) : undefined;
        const result: ReviewResult = { reviewer: seat.name, text: outcome.text };
        if (outcome.state !== 'answered') result.error = outcome.error!;
        else if (ranking) result.ranking = ranking.map((label) => byLabel.get(label)!);
        else result.unparseable = true;
        reviews.push(result);
        queue.push({ type: 'review_done', review: result });
      }),
    );
    yield* queue.drain(reviewing);
    if (signal.aborted) return yield finish('interrupted', { reason: 'interrupted' });
  }

  // Stage 3: the chair; a chair that fails (or gave no answer itself) gives way to the next
  // member that answered, and the result says so.
  const prompt = synthesisPrompt({ question: options.prompt, answers: answered, reviews, missing });
  const candidates = chairOrder(chair, members, answered);
  let replaced: { from: string; reason: string } | undefined;
  if (candidates[0] !== chair) replaced = { from: chair.name, reason: `${chair.name} gave no answer` };
  for (const seat of candidates) {
    queue.push({ type: 'synthesis_start', chair: seat.name, ...(seat !== chair ? { replaces: chair.name } : {}) });
    let outcome: SeatOutcome | undefined;
    const synthesising = askSeat(seat, {
      ...(options.system !== undefined ? { system: options.system } : {}),
      history,
      prompt,
      signal,
      onText: (delta) => queue.push({ type: 'synthesis_delta', delta }),
    }).then((o) => (outcome = o));
    yield* queue.drain(synthesising);
    usage.add(seat.name, outcome!.usage);
    if (outcome!.state === 'interrupted') return yield finish('interrupted', { reason: 'interrupted', chair: seat.name, synthesis: outcome!.text });
    if (outcome!.state === 'answered') {
      yield { type: 'synthesis_done', chair: seat.name, text: outcome!.text, usage: outcome!.usage, ms: outcome!.ms };
      const chairReplaced = replaced && seat !== chair ? { chairReplaced: { ...replaced, to: seat.name } } : {};
      const partial = missing.length > 0 || seat !== chair;
      const reason = [missing.length > 0 ? `no answer from ${missing.join(', ')}` : '', seat !== chair ? `chair ${chair.name} replaced by ${seat.name}` : ''].filter(Boolean).join('; ');
      return yield finish(partial ? 'partial' : 'complete', { chair: seat.name, synthesis: outcome!.text, ...chairReplaced, ...(reason ? { reason } : {}) });
    }
    const error = outcome!.error as CouncilFailure;
    yield { type: 'synthesis_error', chair: seat.name, error };
    replaced ??= { from: chair.name, reason: `${seat.name}: ${error.message}` };
  }
  return yield finish('failed', { reason: `no synthesis: every chair failed (${replaced?.reason ?? 'no candidate'})` });
}

/** The chair, then the members that answered, starting after the chair's own place. */
function chairOrder(chair: CouncilSeat, members: readonly CouncilSeat[], answered: readonly MemberResult[]): CouncilSeat[] {
  const answeredNames = new Set(answered.map((m) => m.name));
  const start = Math.max(0, members.indexOf(chair));
  const rotated = [...members.slice(start), ...members.slice(0, start)];
  const chairIsMember = members.includes(chair);
  // A chair from outside the council has not been tried yet; a member that failed to answer has.
  const first = !chairIsMember || answeredNames.has(chair.name) ? [chair] : [];
  return [...first, ...rotated.filter((seat) => seat !== chair && answeredNames.has(seat.name))];
}

class UsageBook {
  private readonly byName = new Map<string, Usage>();

  add(name: string, usage: Usage): void {
    const total = this.byName.get(name) ?? { inputTokens: 0, outputTokens: 0 };
    total.inputTokens += usage.inputTokens;
    total.outputTokens += usage.outputTokens;
    this.byName.set(name, total);
  }

  summary(): CouncilResult['usage'] {
    const total: Usage = { inputTokens: 0, outputTokens: 0 };
    for (const usage of this.byName.values()) {
      total.inputTokens += usage.inputTokens;
      total.outputTokens += usage.outputTokens;
    }
    return { members: Object.fromEntries(this.byName), total };
  }
}
