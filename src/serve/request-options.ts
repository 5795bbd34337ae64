// The request fields a client may set beside its conversation, for both wire formats: sampling
// and output options passed to the provider, the client's own tools and tool_choice. A field
// hermes cannot honour (this provider lacks it, or hermes has no use for it) is a 400 naming
// it, never silently dropped: clients that rely on JSON output or a stop sequence must know.

import { unsupportedOptions, type RequestOption } from '../agent/providers/request-options.js';
import type { ProviderId, RequestOptions, ResponseFormat, ToolChoice, ToolDefinition } from '../agent/types.js';
import { badRequest } from './errors.js';
import { isRecord, optionalBoolean, optionalString } from './fields.js';

export interface ClientOptions {
  options: RequestOptions;
  /** The client's own tools: their calls are returned to it, not run. */
  tools: ToolDefinition[];
}

/** Which wire format the fields come in. */
export type Dialect = 'chat' | 'responses';

/** Fields a request may carry that are no option (the conversation, stream flags, …). */
const STRUCTURAL: Record<Dialect, readonly string[]> = {
  chat: ['model', 'messages', 'stream', 'stream_options', 'n', 'max_tokens', 'max_completion_tokens', 'hermes'],
  responses: ['model', 'input', 'instructions', 'previous_response_id', 'stream', 'store', 'max_output_tokens', 'metadata', 'n', 'hermes'],
};

const OPTION_FIELDS: Record<Dialect, readonly string[]> = {
  chat: ['temperature', 'top_p', 'stop', 'seed', 'user', 'response_format', 'tools', 'tool_choice', 'parallel_tool_calls'],
  responses: ['temperature', 'top_p', 'user', 'text', 'tools', 'tool_choice', 'parallel_tool_calls'],
};

/**
 * Fields accepted only with the value that changes nothing (clients and SDK wrappers send some
 * of them by default); any other value asks for something hermes does not do.
 */
const NEUTRAL: Record<string, (value: unknown) => boolean> = {
  logprobs: (v) => v === false,
  top_logprobs: (v) => v === 0,
  frequency_penalty: (v) => v === 0,
  presence_penalty: (v) => v === 0,
  logit_bias: (v) => isRecord(v) && Object.keys(v).length === 0,
  service_tier: (v) => v === 'auto' || v === 'default',
  background: (v) => v === false,
  truncation: (v) => v === 'disabled',
  include: (v) => Array.isArray(v) && v.length === 0,
};
// Chat Completions' `store` (OpenAI's distillation store) and `metadata` (which needs it).
const CHAT_NEUTRAL: Record<string, (value: unknown) => boolean> = {
  store: (v) => v === false,
  metadata: (v) => isRecord(v) && Object.keys(v).length === 0,
};

/** The client's name for each option, to name in a refusal. */
const FIELD_NAMES: Record<Dialect, Record<RequestOption, string>> = {
  chat: { temperature: 'temperature', topP: 'top_p', stop: 'stop', seed: 'seed', user: 'user', responseFormat: 'response_format', toolChoice: 'tool_choice', parallelToolCalls: 'parallel_tool_calls' },
  responses: { temperature: 'temperature', topP: 'top_p', stop: 'stop', seed: 'seed', user: 'user', responseFormat: 'text.format', toolChoice: 'tool_choice', parallelToolCalls: 'parallel_tool_calls' },
};

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Reads the option fields and refuses every field it does not know. */
export function parseClientOptions(body: Record<string, unknown>, dialect: Dialect): ClientOptions {
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    if (STRUCTURAL[dialect].includes(key) || OPTION_FIELDS[dialect].includes(key)) continue;
    const neutral = NEUTRAL[key] ?? (dialect === 'chat' ? CHAT_NEUTRAL[key] : undefined);
    if (neutral?.(value)) continue;
    throw badRequest(`${key} is not supported by hermes serve${neutral ? ' (only its default value is accepted)' : ''}`, key, 'unsupported_parameter');
  }
  const tools = dialect === 'chat' ? chatTools(body.tools) : responsesTools(body.tools);
  const options: RequestOptions = {
    temperature: optionalNumber(body, 'temperature', 0, 2),
    topP: optionalNumber(body, 'top_p', 0, 1),
    user: optionalString(body, 'user'),
    toolChoice: toolChoice(body.tool_choice, dialect, tools),
    parallelToolCalls: optionalBoolean(body, 'parallel_tool_calls'),
  };
  if (dialect === 'chat') {
    options.stop = stopSequences(body.stop);
    options.seed = optionalInteger(body, 'seed');
    options.responseFormat = responseFormat(body.response_format, 'response_format', true);
  } else {
    options.responseFormat = textFormat(body.text);
  }
  return { options: withoutUnset(options), tools };
}

/**
 * Refuses what the configured provider cannot do, and client tools whose names are taken by
 * hermes' own (a call could not be told apart).
 */
export function checkClientOptions(client: ClientOptions, dialect: Dialect, provider: ProviderId, ownTools: readonly string[]): void {
  const [missing] = unsupportedOptions(provider, client.options);
  if (missing) {
    const field = FIELD_NAMES[dialect][missing];
    throw badRequest(`${field} is not supported with the ${provider} provider this server uses`, field, 'unsupported_parameter');
  }
  if (client.options.toolChoice === 'required' && client.tools.length === 0 && ownTools.length === 0) {
    throw badRequest("tool_choice 'required' needs tools, and neither the request nor this server offers any", 'tool_choice');
  }
  client.tools.forEach((tool, i) => {
    if (ownTools.includes(tool.name)) {
      const param = dialect === 'chat' ? `tools[${i}].function.name` : `tools[${i}].name`;
      throw badRequest(`tool name '${tool.name}' is taken by a tool hermes runs itself; rename yours`, param);
    }
  });
}

function withoutUnset(options: RequestOptions): RequestOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as RequestOptions;
}

function optionalNumber(body: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) throw badRequest(`${key} must be a number from ${min} to ${max}`, key);
  return value;
}

function optionalInteger(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw badRequest(`${key} must be a whole number`, key);
  return value;
}

function stopSequences(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((s) => typeof s !== 'string' || s === '')) {
    throw badRequest('stop must be a string or an array of non-empty strings', 'stop');
  }
  return list as string[];
}

/** Chat's response_format ({type, json_schema}) or, flat, the Responses text.format. */
function responseFormat(value: unknown, param: string, nested: boolean): ResponseFormat | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw badRequest(`${param} must be an object with a type`, param);
  if (value.type === 'text' || value.type === 'json_object') return { type: value.type };
  if (value.type !== 'json_schema') throw badRequest(`${param}.type must be text, json_object or json_schema`, `${param}.type`);
  const spec = nested ? value.json_schema : value;
  const where = nested ? `${param}.json_schema` : param;
  if (!isRecord(spec) || typeof spec.name !== 'string' || spec.name === '') throw badRequest(`${where}.name is required`, `${where}.name`);
  if (spec.schema !== undefined && !isRecord(spec.schema)) throw badRequest(`${where}.schema must be a JSON schema object`, `${where}.schema`);
  const format: ResponseFormat = { type: 'json_schema', name: spec.name };
  if (isRecord(spec.schema)) format.schema = spec.schema;
  if (typeof spec.strict === 'boolean') format.strict = spec.strict;
  if (typeof spec.description === 'string') format.description = spec.description;
  return format;
}

function textFormat(value: unknown): ResponseFormat | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw badRequest('text must be an object like {"format": {"type": "text"}}', 'text');
  for (const key of Object.keys(value)) {
    if (key !== 'format' && value[key] !== null && value[key] !== undefined) throw badRequest(`text.${key} is not supported by hermes serve`, `text.${key}`, 'unsupported_parameter');
  }
  return responseFormat(value.format, 'text.format', false);
}

function toolDefinition(spec: unknown, param: string): ToolDefinition {
  if (!isRecord(spec) || typeof spec.name !== 'string' || !TOOL_NAME.test(spec.name)) {
    throw badRequest(`${param}.name must be 1 to 64 letters, digits, '_' or '-'`, `${param}.name`);
  }
  if (spec.parameters !== undefined && spec.parameters !== null && !isRecord(spec.parameters)) {
    throw badRequest(`${param}.parameters must be a JSON schema object`, `${param}.parameters`);
  }
  return {
    name: spec.name,
    description: typeof spec.description === 'string' ? spec.description : '',
    parameters: isRecord(spec.parameters) ? spec.parameters : { type: 'object', properties: {} },
  };
}

function toolList(value: unknown, read: (item: Record<string, unknown>, param: string) => ToolDefinition): ToolDefinition[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest('tools must be an array', 'tools');
  const tools = value.map((item: unknown, i) => {
    const param = `tools[${i}]`;
    if (!isRecord(item) || item.type !== 'function') {
      throw badRequest(`${param}: only tools of type 'function' are supported`, `${param}.type`, 'unsupported_parameter');
    }
    return read(item, param);
  });
  const names = new Set<string>();
  tools.forEach((tool, i) => {
    if (names.has(tool.name)) throw badRequest(`tools[${i}]: the name '${tool.name}' is used twice`, 'tools');
    names.add(tool.name);
  });
  return tools;
}

const chatTools = (value: unknown): ToolDefinition[] => toolList(value, (item, param) => toolDefinition(item.function, `${param}.function`));
const responsesTools = (value: unknown): ToolDefinition[] => toolList(value, (item, param) => toolDefinition(item, param));

function toolChoice(value: unknown, dialect: Dialect, tools: readonly ToolDefinition[]): ToolChoice | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'auto' || value === 'none' || value === 'required') return value;
  const name = isRecord(value) && value.type === 'function' ? (dialect === 'chat' ? (isRecord(value.function) ? value.function.name : undefined) : value.name) : undefined;
  if (typeof name !== 'string') {
    const shape = dialect === 'chat' ? '{"type": "function", "function": {"name": …}}' : '{"type": "function", "name": …}';
    throw badRequest(`tool_choice must be auto, none, required or ${shape}`, 'tool_choice');
  }
  if (!tools.some((tool) => tool.name === name)) throw badRequest(`tool_choice names '${name}', which is not in tools`, 'tool_choice');
  return { name };
}
