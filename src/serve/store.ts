// The Responses store: what `previous_response_id` continues and GET/DELETE /v1/responses/{id}
// read. In memory and bounded: a Map keeps insertion order, so re-inserting on every read
// makes its first key the least recently used one, which is evicted when the store is full.

import type { ChatMessage } from '../agent/types.js';

export interface StoredResponse {
  /** The Response object as a client receives it. */
  response: Record<string, unknown>;
  /** System and developer input messages (instructions are not carried over, as in OpenAI's API). */
  system: string[];
  /** The conversation up to and including this response's output, tool rounds included. */
  history: ChatMessage[];
}

export class ResponseStore {
  private readonly entries = new Map<string, StoredResponse>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(id: string): StoredResponse | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry;
  }

  set(id: string, entry: StoredResponse): void {
    if (this.capacity <= 0) return;
    this.entries.delete(id);
    this.entries.set(id, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  delete(id: string): boolean {
    return this.entries.delete(id);
  }
}
