// The client's own tools and request options through the real openai SDK: tools are offered
// to the model beside hermes' own, a call of one ends the turn and goes back to the client in
// the standard shape, the client's result continues it; sampling and output options reach the
// provider, and what the provider cannot take is a 400 naming the field.

import { BadRequestError } from 'openai';
import type { ChatCompletionFunctionTool as ChatCompletionTool, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { FunctionTool, ResponseInputItem } from 'openai/resources/responses/responses';
import { afterEach, describe, expect, it } from 'vitest';
import { StaticToolRegistry, type Tool } from '../../src/agent/tools.js';
import type { RecordedRequest, Step } from '../support/loopback.js';
import { chatTextSse, chatToolCallSse } from '../support/wire/openai-chat.js';
import { responsesTextSse } from '../support/wire/openai-responses.js';
import { startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const WEATHER: ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

const clock: Tool = {
  definition: { name: 'clock', description: 'the time', parameters: { type: 'object', properties: {} } },
  run: async () => ({ content: '12:00' }),
};

/** The model calls get_weather, then answers from the tool's result. */
function weatherModel(_n: number, req: RecordedRequest): Step {
  const last = req.json.messages.at(-1);
  if (last.role === 'tool') return { kind: 'stream', chunks: [chatTextSse(['It is ', `${last.content}.`])] };
  return { kind: 'stream', chunks: [chatToolCallSse([{ id: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris"}' }], { textBefore: ['Checking.'] })] };
}

/** The call and the client's result as the upstream must get them back. */
const weatherRound = (result: string): unknown[] => [
  { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
  { role: 'tool', tool_call_id: 'call_w1', content: result },
];

const OPTIONS = {
  temperature: 0.3,
  top_p: 0.9,
  max_tokens: 200,
  stop: ['END'],
  seed: 7,
  user: 'user-42',
  response_format: { type: 'json_object' as const },
  tool_choice: 'auto' as const,
  parallel_tool_calls: false,
};

describe('client-defined tools on /v1/chat/completions', () => {
  it('stream: the call comes back as delta.tool_calls with finish_reason tool_calls; the role: tool result continues it', async () => {
    h = await startHarness(weatherModel, { agent: { tools: new StaticToolRegistry([clock]) } as never });
    const client = h.client();
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.chat.completions.stream({ model: 'hermes', messages, tools: [WEATHER], ...OPTIONS }).finalChatCompletion();
    const choice = first.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBe('Checking.');
    expect(choice.message.tool_calls).toEqual([{ id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }]);

    // The upstream got the client's tool beside hermes' own, and every passed-through field.
    const sent = h.upstream.requests[0]!.json;
    expect(sent.tools.map((t: ChatCompletionTool) => t.function.name)).toEqual(['clock', 'get_weather']);
    expect(sent.tools[1].function.parameters).toEqual(WEATHER.function.parameters);
    // The upstream is not OpenAI itself, so max_tokens stays max_tokens.
    expect(sent).toMatchObject(OPTIONS);

    messages.push(choice.message as ChatCompletionMessageParam, { role: 'tool', tool_call_id: 'call_w1', content: 'sunny' });
    const second = await client.chat.completions.stream({ model: 'hermes', messages, tools: [WEATHER] }).finalChatCompletion();
    expect(second.choices[0]!.finish_reason).toBe('stop');
    expect(second.choices[0]!.message.content).toBe('It is sunny.');
    expect(h.upstream.requests[1]!.json.messages.slice(-2)).toEqual(weatherRound('sunny'));
  });

  it('not streamed: message.tool_calls, then the result continues it', async () => {
    h = await startHarness(weatherModel);
    const client = h.client();
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.chat.completions.create({ model: 'hermes', messages, tools: [WEATHER], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(first.choices[0]!.message.tool_calls?.[0]).toMatchObject({ id: 'call_w1', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    expect(h.upstream.requests[0]!.json.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });

    messages.push(first.choices[0]!.message as ChatCompletionMessageParam, { role: 'tool', tool_call_id: 'call_w1', content: 'rainy' });
    const second = await client.chat.completions.create({ model: 'hermes', messages, tools: [WEATHER] });
    expect(second.choices[0]!.message.content).toBe('It is rainy.');
  });

  it("hermes runs its own calls of a mixed message and returns the client's; a forced tool_choice binds the first request only", async () => {
    h = await startHarness(
      (n) =>
        n === 1
          ? { kind: 'stream', chunks: [chatToolCallSse([{ id: 'call_c', name: 'clock', arguments: '{}' }])] }
          : { kind: 'stream', chunks: [chatToolCallSse([{ id: 'call_c2', name: 'clock', arguments: '{}' }, { id: 'call_w', name: 'get_weather', arguments: '{"city":"Oslo"}' }])] },
      { agent: { tools: new StaticToolRegistry([clock]) } as never },
    );
    const completion = await h.client().chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], tools: [WEATHER], tool_choice: 'required' });
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]!.message.tool_calls!.map((c) => c.id)).toEqual(['call_w']);
    const [first, second] = h.upstream.requests;
    expect(first!.json.tool_choice).toBe('required');
    // After hermes ran its own clock call, 'required' would force a call on every round.
    expect(second!.json.tool_choice).toBe('auto');
    expect(second!.json.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_c', content: '12:00' });
    expect(h.upstream.requests).toHaveLength(2);
  });

  it('a tool result that answers no call, and a tool named like one of hermes\' own, are 400s naming the field', async () => {
    h = await startHarness(weatherModel, { agent: { tools: new StaticToolRegistry([clock]) } as never });
    const client = h.client();
    const orphan = await client.chat.completions
      .create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'nope', content: '1' }] })
      .catch((e: unknown) => e);
    expect(orphan).toBeInstanceOf(BadRequestError);
    expect((orphan as BadRequestError).param).toBe('messages');
    const clash = await client.chat.completions
      .create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'clock' } }] })
      .catch((e: unknown) => e);
    expect((clash as BadRequestError).param).toBe('tools[0].function.name');
    expect(h.upstream.requests).toHaveLength(0);
  });
});

const WEATHER_FN: FunctionTool = { type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: WEATHER.function.parameters ?? null, strict: false };

describe('client-defined tools on /v1/responses', () => {
  it('stream: the call is a function_call output item; function_call_output after previous_response_id continues it', async () => {
    h = await startHarness(weatherModel);
    const client = h.client();
    const stream = client.responses.stream({ model: 'hermes', input: 'Weather in Paris?', tools: [WEATHER_FN], tool_choice: 'required', temperature: 0.2, top_p: 0.5, user: 'u-7', text: { format: { type: 'json_object' } } });
    const types: string[] = [];
    stream.on('event', (event) => types.push(event.type));
    const first = await stream.finalResponse();
    expect(first.status).toBe('completed');
    expect(first.output_text).toBe('Checking.');
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', call_id: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' });
    expect(types).toContain('response.function_call_arguments.done');
    expect(types.at(-1)).toBe('response.completed');
    const sent = h.upstream.requests[0]!.json;
    expect(sent.tools.map((t: ChatCompletionTool) => t.function.name)).toEqual(['get_weather']);
    expect(sent).toMatchObject({ tool_choice: 'required', temperature: 0.2, top_p: 0.5, user: 'u-7', response_format: { type: 'json_object' } });

    const second = await client.responses
      .stream({ model: 'hermes', previous_response_id: first.id, input: [{ type: 'function_call_output', call_id: 'call_w1', output: 'foggy' }], tools: [WEATHER_FN] })
      .finalResponse();
    expect(second.output_text).toBe('It is foggy.');
    expect(h.upstream.requests[1]!.json.messages.slice(-2)).toEqual(weatherRound('foggy'));
  });

  it('not streamed and stateless: the output items sent back as input continue it', async () => {
    h = await startHarness(weatherModel);
    const client = h.client();
    const first = await client.responses.create({ model: 'hermes', input: 'Weather in Paris?', tools: [WEATHER_FN], store: false });
    expect(first.output.map((item) => item.type)).toEqual(['message', 'function_call']);
    const second = await client.responses.create({
      model: 'hermes',
      store: false,
      tools: [WEATHER_FN],
      input: [{ role: 'user', content: 'Weather in Paris?' }, ...(first.output as ResponseInputItem[]), { type: 'function_call_output', call_id: 'call_w1', output: 'hot' }],
    });
    expect(second.output_text).toBe('It is hot.');
    expect(h.upstream.requests[1]!.json.messages.at(-2)).toMatchObject({ role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'call_w1' }] });
  });

  it('fields the Responses provider lacks are refused by their client name', async () => {
    h = await startHarness([{ kind: 'hang' }], { agent: { provider: 'anthropic' } as never });
    const err = await h.client().responses.create({ model: 'hermes', input: 'x', text: { format: { type: 'json_object' } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).param).toBe('text.format');
    expect(h.upstream.requests).toHaveLength(0);
  });
});

describe('request fields', () => {
  it('logprobs and fields hermes does not know are 400s naming them; neutral values pass', async () => {
    h = await startHarness([{ kind: 'stream', chunks: [chatTextSse(['ok'])] }]);
    const client = h.client();
    for (const [field, value] of [['logprobs', true], ['top_k', 5], ['frequency_penalty', 0.5], ['functions', [{ name: 'f' }]]] as const) {
      const err = await client.chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], [field]: value } as never).catch((e: unknown) => e);
      expect(err, field).toBeInstanceOf(BadRequestError);
      expect((err as BadRequestError).param).toBe(field);
      expect((err as BadRequestError).message).toContain(field);
    }
    // A forced call with no tool to call could only be dropped.
    const forced = await client.chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], tool_choice: 'required' }).catch((e: unknown) => e);
    expect((forced as BadRequestError).param).toBe('tool_choice');
    expect(h.upstream.requests).toHaveLength(0);
    const ok = await client.chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], logprobs: false, frequency_penalty: 0, presence_penalty: 0, n: 1 });
    expect(ok.choices[0]!.message.content).toBe('ok');
  });

  it('with the openai-responses provider: options in Responses terms; stop and seed refused by name', async () => {
    h = await startHarness([{ kind: 'stream', chunks: [responsesTextSse(['fine'])] }], { agent: { provider: 'openai-responses' } as never });
    const client = h.client();
    const format = { type: 'json_schema' as const, json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } };
    const ok = await client.chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], temperature: 0.1, top_p: 0.2, user: 'u-2', max_tokens: 30, response_format: format, tools: [WEATHER], tool_choice: { type: 'function', function: { name: 'get_weather' } }, parallel_tool_calls: false });
    expect(ok.choices[0]!.message.content).toBe('fine');
    expect(h.upstream.requests[0]!.json).toMatchObject({
      temperature: 0.1,
      top_p: 0.2,
      user: 'u-2',
      max_output_tokens: 30,
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } },
      tool_choice: { type: 'function', name: 'get_weather' },
      parallel_tool_calls: false,
    });
    for (const [field, extra] of [['stop', { stop: ['x'] }], ['seed', { seed: 3 }]] as const) {
      const err = await client.chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], ...extra } as never).catch((e: unknown) => e);
      expect((err as BadRequestError).param, field).toBe(field);
    }
    expect(h.upstream.requests).toHaveLength(1);
  });

  it('with the anthropic provider: stop/temperature/top_p/max_tokens/user mapped; seed and response_format refused by name', async () => {
    const upstream: Step = {
      kind: 'json',
      body: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } },
    };
    h = await startHarness([upstream], { agent: { provider: 'anthropic', stream: false } as never });
    const client = h.client();
    const ok = await client.chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], stop: 'END', temperature: 0.5, top_p: 0.8, max_tokens: 50, user: 'u-1' });
    expect(ok.choices[0]!.message.content).toBe('hi');
    expect(h.upstream.requests[0]!.json).toMatchObject({ stop_sequences: ['END'], temperature: 0.5, top_p: 0.8, max_tokens: 50, metadata: { user_id: 'u-1' } });
    for (const [field, extra] of [['seed', { seed: 1 }], ['response_format', { response_format: { type: 'json_object' } }]] as const) {
      const err = await client.chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], ...extra } as never).catch((e: unknown) => e);
      expect(err, field).toBeInstanceOf(BadRequestError);
      expect((err as BadRequestError).param).toBe(field);
      expect((err as BadRequestError).message).toContain('anthropic');
    }
    expect(h.upstream.requests).toHaveLength(1);
  });
});
