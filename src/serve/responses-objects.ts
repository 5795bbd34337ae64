// The objects of the Responses wire format hermes sends: the Response, its message and
// function_call output items, and text parts.

import type { ToolCall, ToolChoice, ToolDefinition } from '../agent/types.js';
import type { ClientOptions } from './request-options.js';

export type Status = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface ResponseFields {
  id: string;
  createdAt: number;
  model: string;
  instructions: string | null;
  previousResponseId: string | null;
  maxOutputTokens: number | null;
  store: boolean;
  metadata: Record<string, string>;
  client: ClientOptions;
}

export function responseObject(
  f: ResponseFields,
  status: Status,
  output: unknown[],
  extra: { usage?: Record<string, unknown>; error?: { code: string; message: string }; incomplete?: string } = {},
): Record<string, unknown> {
  const { options, tools } = f.client;
  return {
    id: f.id,
    object: 'response',
    created_at: f.createdAt,
    status,
    background: false,
    error: extra.error ?? null,
    incomplete_details: extra.incomplete ? { reason: extra.incomplete } : null,
    instructions: f.instructions,
    max_output_tokens: f.maxOutputTokens,
    model: f.model,
    output,
    parallel_tool_calls: options.parallelToolCalls ?? true,
    previous_response_id: f.previousResponseId,
    store: f.store,
    text: { format: options.responseFormat ?? { type: 'text' } },
    tool_choice: wireToolChoice(options.toolChoice),
    tools: tools.map(wireTool),
    truncation: 'disabled',
    usage: extra.usage ?? null,
    metadata: f.metadata,
  };
}

function wireToolChoice(choice: ToolChoice | undefined): unknown {
  if (choice === undefined) return 'auto';
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
}

function wireTool(tool: ToolDefinition): Record<string, unknown> {
  return { type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters, strict: false };
}

export const textPart = (text: string): Record<string, unknown> => ({ type: 'output_text', annotations: [], logprobs: [], text });

export function messageItem(id: string, status: 'in_progress' | 'completed' | 'incomplete', text: string | undefined): Record<string, unknown> {
  return { id, type: 'message', status, role: 'assistant', content: text === undefined ? [] : [textPart(text)] };
}

export function functionCallItem(id: string, call: ToolCall, status: 'in_progress' | 'completed'): Record<string, unknown> {
  return { id, type: 'function_call', status, call_id: call.id, name: call.name, arguments: status === 'in_progress' ? '' : call.arguments };
}
