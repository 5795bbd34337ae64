// Stage 3: what the chair is asked. It sees the question, every answer under its member's name,
// the rankings when there was a review, and which members did not answer.

import type { ReviewResult } from './events.js';

export interface SynthesisInput {
  question: string;
  answers: readonly { name: string; text: string }[];
  reviews: readonly ReviewResult[];
  missing: readonly string[];
}

export function synthesisPrompt(input: SynthesisInput): string {
  const lines = [
    'Several models answered the question below. As the chair of this council, write one final answer:',
    'combine what is right in them, resolve their disagreements, and correct their mistakes.',
    'Answer the question directly; do not describe the council.',
    '',
    `Question: ${input.question}`,
    '',
  ];
  for (const answer of input.answers) lines.push(`Answer from ${answer.name}:`, answer.text, '');
  const ranked = input.reviews.filter((review) => review.ranking);
  if (ranked.length > 0) {
    lines.push('Peer rankings (best first):');
    for (const review of ranked) lines.push(`- ${review.reviewer}: ${review.ranking!.join(' > ')}`);
    lines.push('');
  }
  if (input.missing.length > 0) lines.push(`Not answered (failed): ${input.missing.join(', ')}.`, '');
  return lines.join('\n').trimEnd();
}
