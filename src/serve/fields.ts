// Checked reads of request body fields: a wrong type is a 400 that names the field.

import { badRequest } from './errors.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequest(`${key} must be true or false`, key);
  return value;
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`${key} must be a string`, key);
  return value;
}

export function optionalPositiveInt(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw badRequest(`${key} must be a whole number of at least 1`, key);
  return value;
}

/** `model` is accepted whatever it names: clients send back what /v1/models listed, or anything. */
export function checkModel(body: Record<string, unknown>): void {
  optionalString(body, 'model');
}

/** Only one choice is ever produced. */
export function checkSingleChoice(body: Record<string, unknown>): void {
  const n = body.n;
  if (n !== undefined && n !== null && n !== 1) throw badRequest('n must be 1: hermes produces one answer per request', 'n');
}
