// A request's sampling and output options (RequestOptions) in each wire API's terms, and which
// ones an API cannot take. Decided here rather than left to the provider's error, so a caller
// can refuse what would be silently ignored (or fail late) with a message naming the field.
//
// Anthropic's Messages API has stop_sequences, temperature, top_p, metadata.user_id and
// tool_choice, but no seed and no JSON output mode; the Responses API has no stop sequences and
// no seed. tool_choice and parallel tool calls are only sent along with tools (the APIs refuse
// them without).

import type { ProviderId, ProviderRequest, RequestOptions, ResponseFormat } from '../types.js';

export type RequestOption = keyof RequestOptions;

/** The options set in `options` that `provider` cannot honour. */
export function unsupportedOptions(provider: ProviderId, options: RequestOptions): RequestOption[] {
  const set = (key: RequestOption): boolean => options[key] !== undefined;
  switch (provider) {
    case 'openai':
      return [];
    case 'openai-responses':
      return (['stop', 'seed'] as const).filter(set);
    case 'anthropic':
      return [...(['seed'] as const).filter(set), ...(options.responseFormat && options.responseFormat.type !== 'text' ? (['responseFormat'] as const) : [])];
  }
}

const defined = (entries: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));

/** tool_choice and parallel_tool_calls of both OpenAI APIs, which name a tool differently. */
function openAIToolFields(request: ProviderRequest, named: (name: string) => Record<string, unknown>): Record<string, unknown> {
  if (request.tools.length === 0) return {};
  const choice = request.options?.toolChoice;
  return {
    tool_choice: choice === undefined ? undefined : typeof choice === 'string' ? choice : named(choice.name),
    parallel_tool_calls: request.options?.parallelToolCalls,
  };
}

/** Chat Completions body fields. */
export function chatOptionParams(request: ProviderRequest): Record<string, unknown> {
  const o = request.options ?? {};
  return defined({
    temperature: o.temperature,
    top_p: o.topP,
    stop: o.stop,
    seed: o.seed,
    user: o.user,
    response_format: o.responseFormat && chatFormat(o.responseFormat),
    ...openAIToolFields(request, (name) => ({ type: 'function', function: { name } })),
  });
}

function chatFormat(format: ResponseFormat): Record<string, unknown> {
  if (format.type !== 'json_schema') return { type: format.type };
  const { type, ...schema } = format;
  return { type, json_schema: defined(schema) };
}

/** Responses API body fields. */
export function responsesOptionParams(request: ProviderRequest): Record<string, unknown> {
  const o = request.options ?? {};
  return defined({
    temperature: o.temperature,
    top_p: o.topP,
    user: o.user,
    text: o.responseFormat && { format: defined({ ...o.responseFormat }) },
    ...openAIToolFields(request, (name) => ({ type: 'function', name })),
  });
}

/** Messages API body fields. */
export function anthropicOptionParams(request: ProviderRequest): Record<string, unknown> {
  const o = request.options ?? {};
  const tools = request.tools.length > 0;
  let toolChoice: Record<string, unknown> | undefined;
  if (tools && (o.toolChoice !== undefined || o.parallelToolCalls === false)) {
    const choice = o.toolChoice ?? 'auto';
    toolChoice =
      choice === 'none' ? { type: 'none' } : choice === 'auto' ? { type: 'auto' } : choice === 'required' ? { type: 'any' } : { type: 'tool', name: choice.name };
    if (o.parallelToolCalls === false && choice !== 'none') toolChoice.disable_parallel_tool_use = true;
  }
  return defined({
    temperature: o.temperature,
    top_p: o.topP,
    stop_sequences: o.stop,
    metadata: o.user !== undefined ? { user_id: o.user } : undefined,
    tool_choice: toolChoice,
  });
}
