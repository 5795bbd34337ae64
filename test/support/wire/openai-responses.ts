// Realistic OpenAI Responses API bodies for loopback servers: the same event sequence, framing
// (`event:` lines) and sequence numbers the real API sends, shaped like the recorded fixtures.

let counter = 0;
function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}_${counter.toString(16).padStart(8, '0')}${'a1b2c3d4e5f6'.repeat(3)}`;
}

interface ResponseUsageWire {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

function usage(input: number, output: number): ResponseUsageWire {
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

/** A Response object as the API returns it (and embeds in created/in_progress/completed). */
export function responseObject(fields: {
  id?: string;
  model?: string;
  status?: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  output?: unknown[];
  usage?: ResponseUsageWire | null;
  error?: { code: string; message: string } | null;
  incompleteReason?: 'max_output_tokens' | 'content_filter';
}): Record<string, unknown> {
  const status = fields.status ?? 'completed';
  return {
    id: fields.id ?? nextId('resp'),
    object: 'response',
    created_at: 1763474589,
    status,
    background: false,
    error: fields.error ?? null,
    incomplete_details: fields.incompleteReason ? { reason: fields.incompleteReason } : null,
    instructions: null,
    max_output_tokens: null,
    max_tool_calls: null,
    model: fields.model ?? 'gpt-4o-2024-08-06',
    output: fields.output ?? [],
    parallel_tool_calls: true,
    previous_response_id: null,
    prompt_cache_key: null,
    reasoning: { effort: null, summary: null },
    safety_identifier: null,
    service_tier: 'default',
    store: false,
    temperature: 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: [],
    top_logprobs: 0,
    top_p: 1,
    truncation: 'disabled',
    usage: fields.usage ?? null,
    user: null,
    metadata: {},
  };
}

/**
 * Frames events as the API does: `event: <type>` + `data: <json>`, with sequence_number
 * filled in when absent. Use it to script unusual streams (refusal, failed, incomplete, error).
 */
export function responsesSse(events: Record<string, unknown>[]): string {
  let out = '';
  events.forEach((event, index) => {
    const withSequence = 'sequence_number' in event ? event : { ...event, sequence_number: index };
    out += `event: ${String(event.type)}\ndata: ${JSON.stringify(withSequence)}\n\n`;
  });
  return out;
}

function messageItem(id: string, text: string, status: string): Record<string, unknown> {
  return {
    id,
    type: 'message',
    status,
    content: status === 'in_progress' ? [] : [{ type: 'output_text', annotations: [], logprobs: [], text }],
    role: 'assistant',
  };
}

/** The events of one assistant message item at `outputIndex`, one delta per token. */
function messageEvents(tokens: string[], outputIndex: number): { events: Record<string, unknown>[]; item: Record<string, unknown> } {
  const id = nextId('msg');
  const text = tokens.join('');
  const part = { type: 'output_text', annotations: [], logprobs: [], text };
  const events: Record<string, unknown>[] = [
    { type: 'response.output_item.added', item: messageItem(id, '', 'in_progress'), output_index: outputIndex },
    {
      type: 'response.content_part.added',
      content_index: 0,
      item_id: id,
      output_index: outputIndex,
      part: { ...part, text: '' },
    },
  ];
  for (const token of tokens) {
    events.push({
      type: 'response.output_text.delta',
      content_index: 0,
      delta: token,
      item_id: id,
      logprobs: [],
      obfuscation: 'xYz0',
      output_index: outputIndex,
    });
  }
  const item = messageItem(id, text, 'completed');
  events.push(
    { type: 'response.output_text.done', content_index: 0, item_id: id, logprobs: [], output_index: outputIndex, text },
    { type: 'response.content_part.done', content_index: 0, item_id: id, output_index: outputIndex, part },
    { type: 'response.output_item.done', item, output_index: outputIndex },
  );
  return { events, item };
}

function envelope(model: string | undefined, body: Record<string, unknown>[], output: unknown[], outputTokens: number): Record<string, unknown>[] {
  const id = nextId('resp');
  const pending = responseObject({ id, model, status: 'in_progress' });
  return [
    { type: 'response.created', response: pending },
    { type: 'response.in_progress', response: pending },
    ...body,
    { type: 'response.completed', response: responseObject({ id, model, output, usage: usage(42, outputTokens) }) },
  ];
}

/** A complete text answer streamed one `response.output_text.delta` per token. */
export function responsesTextSse(tokens: string[], options: { model?: string } = {}): string {
  const { events, item } = messageEvents(tokens, 0);
  return responsesSse(envelope(options.model, events, [item], tokens.length));
}

/**
 * Function calls (optionally after some text), each with its arguments split into small
 * `response.function_call_arguments.delta` fragments, then `.done` and output_item.done.
 */
export function responsesFunctionCallSse(
  calls: { id: string; name: string; arguments: string }[],
  options: { textBefore?: string[] } = {},
): string {
  const body: Record<string, unknown>[] = [];
  const output: unknown[] = [];
  let index = 0;
  if (options.textBefore && options.textBefore.length > 0) {
    const { events, item } = messageEvents(options.textBefore, index++);
    body.push(...events);
    output.push(item);
  }
  for (const call of calls) {
    const itemId = nextId('fc');
    const outputIndex = index++;
    const item = { id: itemId, type: 'function_call', status: 'in_progress', arguments: '', call_id: call.id, name: call.name };
    body.push({ type: 'response.output_item.added', item, output_index: outputIndex });
    for (let i = 0; i < call.arguments.length; i += 4) {
      body.push({
        type: 'response.function_call_arguments.delta',
        delta: call.arguments.slice(i, i + 4),
        item_id: itemId,
        obfuscation: 'AbC',
        output_index: outputIndex,
      });
    }
    const done = { ...item, status: 'completed', arguments: call.arguments };
    body.push(
      { type: 'response.function_call_arguments.done', arguments: call.arguments, item_id: itemId, name: call.name, output_index: outputIndex },
      { type: 'response.output_item.done', item: done, output_index: outputIndex },
    );
    output.push(done);
  }
  return responsesSse(envelope(undefined, body, output, 10 + calls.length * 8));
}

/** A complete non-streaming Response (the JSON body of `stream: false`) holding `text`. */
export function responsesJson(text: string): Record<string, unknown> {
  return responseObject({ output: [messageItem(nextId('msg'), text, 'completed')], usage: usage(42, 7) });
}
