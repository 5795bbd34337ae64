// The floor: what a straightforward client built on the same SDK costs. It streams the same
// request hermes sends and writes every text delta to stdout as it arrives.
// ANTHROPIC_BASE_URL names the server; the SDK insists on a key, any will do.
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic({ apiKey: 'bench-key', baseURL: process.env.ANTHROPIC_BASE_URL });
const stream = await client.messages.create({
  model: process.env.BENCH_MODEL ?? 'claude-sonnet-4-20250514',
  max_tokens: 32000,
  messages: [{ role: 'user', content: process.argv[2] ?? 'x' }],
  stream: true,
});
for await (const event of stream) {
  if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') process.stdout.write(event.delta.text);
}
