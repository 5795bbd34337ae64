// The floor: what a straightforward client built on the same SDK costs. It streams the same
// request hermes sends and writes every text delta to stdout as it arrives.
// OPENAI_BASE_URL names the server; the SDK insists on a key, any will do.
import OpenAI from 'openai';

const client = new OpenAI({ apiKey: 'bench-key', baseURL: process.env.OPENAI_BASE_URL });
const stream = await client.chat.completions.create({
  model: process.env.BENCH_MODEL ?? 'gpt-4o',
  messages: [{ role: 'user', content: process.argv[2] ?? 'x' }],
  stream: true,
  stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  const text = chunk.choices[0]?.delta?.content;
  if (text) process.stdout.write(text);
}
