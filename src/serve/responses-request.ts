// A POST /v1/responses body, checked: the input (text, messages, and the client's function
// calls and their outputs), the stored response it continues, and the options to pass on.

import { parseExtensions, type Extensions } from './context.js';
import { badRequest } from './errors.js';
import { checkModel, checkSingleChoice, isRecord, optionalBoolean, optionalPositiveInt, optionalString } from './fields.js';
import { assistantMessage, clientToolCall, parseTurn, toolResult, type Turn } from './messages.js';
import { parseClientOptions, type ClientOptions } from './request-options.js';

export interface ResponsesRequest {
  turns: Turn[];
  instructions?: string;
  previousResponseId?: string;
  stream: boolean;
  store: boolean;
  maxOutputTokens?: number;
  metadata: Record<string, string>;
  client: ClientOptions;
  extensions: Extensions;
}

export function parseResponsesRequest(body: unknown): ResponsesRequest {
  if (!isRecord(body)) throw badRequest('the request body must be a JSON object');
  checkModel(body);
  checkSingleChoice(body);
  const input = body.input;
  let turns: Turn[];
  if (typeof input === 'string') turns = [{ role: 'user', content: input }];
  else if (Array.isArray(input)) turns = inputTurns(input);
  else throw badRequest('input is required: a string or an array of messages', 'input');
  return {
    turns,
    instructions: optionalString(body, 'instructions'),
    previousResponseId: optionalString(body, 'previous_response_id'),
    stream: optionalBoolean(body, 'stream') ?? false,
    store: optionalBoolean(body, 'store') ?? true,
    maxOutputTokens: optionalPositiveInt(body, 'max_output_tokens'),
    metadata: metadata(body.metadata),
    client: parseClientOptions(body, 'responses'),
    extensions: parseExtensions(body.hermes),
  };
}

/**
 * Input items as turns. A function_call item joins the assistant message before it (the model
 * said something, then called), as the model produced them in one message.
 */
function inputTurns(items: unknown[]): Turn[] {
  const turns: Turn[] = [];
  items.forEach((item: unknown, i) => {
    const param = `input[${i}]`;
    const type = isRecord(item) ? item.type : undefined;
    if (type === undefined || type === 'message') {
      turns.push(parseTurn(item, param));
      return;
    }
    const record = item as Record<string, unknown>;
    if (type === 'function_call') {
      const call = clientToolCall(record.call_id, record.name, record.arguments, param);
      const last = turns.at(-1);
      if (last?.role === 'assistant') last.toolCalls.push(call);
      else turns.push(assistantMessage('', [call]));
      return;
    }
    if (type === 'function_call_output') {
      turns.push(toolResult(record.call_id, record.output, param, { id: 'call_id', content: 'output' }));
      return;
    }
    throw badRequest(`${param}: items of type '${String(type)}' are not supported`, `${param}.type`);
  });
  return turns;
}

function metadata(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value) || Object.values(value).some((v) => typeof v !== 'string')) throw badRequest('metadata must be an object of strings', 'metadata');
  return value as Record<string, string>;
}
