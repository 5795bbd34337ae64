// Context window sizes (tokens) of well-known models.
// Matched by the longest known prefix of the model name, after any "vendor/" prefix
// (OpenRouter-style names). Unknown models show no figure rather than a guess.

const WINDOWS: ReadonlyArray<readonly [prefix: string, tokens: number]> = [
  ['gpt-4.1', 1_047_576],
  ['gpt-5', 400_000],
  ['gpt-4o', 128_000],
  ['chatgpt-4o', 128_000],
  ['gpt-4-turbo', 128_000],
  ['gpt-4-0125', 128_000],
  ['gpt-4-1106', 128_000],
  ['gpt-4-32k', 32_768],
  ['gpt-4', 8_192],
  ['gpt-3.5-turbo', 16_385],
  ['gpt-oss', 131_072],
  ['o1-mini', 128_000],
  ['o1', 200_000],
  ['o3', 200_000],
  ['o4-mini', 200_000],
  ['codex-mini', 200_000],
  ['claude', 200_000],
  ['deepseek', 128_000],
  ['gemini-1.5-pro', 2_097_152],
  ['gemini', 1_048_576],
  ['llama-3.1', 131_072],
  ['llama-3.2', 131_072],
  ['llama-3.3', 131_072],
  ['llama3.1', 131_072],
  ['llama3.2', 131_072],
  ['llama3.3', 131_072],
  ['llama-4', 131_072],
  ['mistral-large', 131_072],
  ['mistral-small', 32_768],
  ['codestral', 262_144],
  ['qwen3', 131_072],
  ['qwen2.5', 131_072],
  ['kimi-k2', 131_072],
  ['grok-4', 256_000],
  ['grok-3', 131_072],
];

/** The model's context window in tokens, or undefined when not known. */
export function contextWindow(model: string): number | undefined {
  const name = model.toLowerCase().slice(model.lastIndexOf('/') + 1);
  let best: readonly [string, number] | undefined;
  for (const entry of WINDOWS) {
    if (name.startsWith(entry[0]) && (best === undefined || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}
