// Stage 2: each member ranks the answers, anonymised as "Response A/B/C" so that no model can
// favour a name (its own included). The ranking is read from a `FINAL RANKING:` list; an answer
// without a readable one is reported as unparseable, never guessed.

export interface LabelledAnswer {
  label: string;
  name: string;
  text: string;
}

export function labelAnswers(answers: readonly { name: string; text: string }[]): LabelledAnswer[] {
  return answers.map((answer, index) => ({ ...answer, label: `Response ${labelLetter(index)}` }));
}

function labelLetter(index: number): string {
  // A..Z, then AA, AB, …: councils are small, but a label must never repeat.
  return index < 26 ? String.fromCharCode(65 + index) : labelLetter(Math.floor(index / 26) - 1) + String.fromCharCode(65 + (index % 26));
}

export function reviewPrompt(question: string, answers: readonly LabelledAnswer[]): string {
  const blocks = answers.map((answer) => `${answer.label}:\n${answer.text}`).join('\n\n');
  return [
    'You are evaluating different responses to the following question.',
    '',
    `Question: ${question}`,
    '',
    'Here are the responses, anonymised:',
    '',
    blocks,
    '',
    'Evaluate each response in turn: what it does well and what it does poorly.',
    'Then, at the very end, give your ranking from best to worst in exactly this form:',
    '',
    'FINAL RANKING:',
    ...answers.map((answer, index) => `${index + 1}. ${answer.label}`),
    '',
    'Put nothing after the ranking.',
  ].join('\n');
}

/** The labels ranked after the last `FINAL RANKING:`, best first; undefined when unreadable. */
export function parseRanking(text: string, labels: readonly string[]): string[] | undefined {
  const marker = text.toUpperCase().lastIndexOf('FINAL RANKING:');
  if (marker < 0) return undefined;
  const tail = text.slice(marker + 'FINAL RANKING:'.length);
  const known = new Set(labels);
  const ranked: string[] = [];
  for (const match of tail.matchAll(/Response\s+([A-Z]{1,2})\b/g)) {
    const label = `Response ${match[1]}`;
    if (!known.has(label)) return undefined;
    if (!ranked.includes(label)) ranked.push(label);
  }
  // A ranking that leaves answers out cannot be told from one that was cut off: not guessed.
  return ranked.length === labels.length ? ranked : undefined;
}
