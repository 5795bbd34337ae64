// What a gateway remembers across restarts, in one small JSON file beside the sessions: which
// hermes session each chat (or forum topic) continues, and the last update it handled, so an
// update the platform delivers again after a crash is not answered twice.

import fs from 'node:fs';
import path from 'node:path';

/** Update ids remembered; Telegram re-delivers only the few after the last confirmed offset. */
const RECENT_UPDATES = 500;

interface StateFile {
  sessions: Record<string, string>;
  /** The last update ids handled, oldest first. Not a maximum: after a quiet week Telegram
   *  starts counting again from a random number. */
  recentUpdates: number[];
}

export class GatewayState {
  readonly #file: string;
  readonly #onError: (message: string) => void;
  #data: StateFile = { sessions: {}, recentUpdates: [] };

  constructor(file: string, onError: (message: string) => void) {
    this.#file = file;
    this.#onError = onError;
    let raw: string | undefined;
    try {
      raw = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    if (raw === undefined) return;
    try {
      const data = JSON.parse(raw) as Partial<StateFile>;
      for (const [key, id] of Object.entries(data.sessions ?? {})) if (typeof id === 'string') this.#data.sessions[key] = id;
      if (Array.isArray(data.recentUpdates)) this.#data.recentUpdates = data.recentUpdates.filter((id) => typeof id === 'number');
    } catch {
      onError(`${file} is not valid JSON; every chat starts a new session`);
    }
  }

  session(key: string): string | undefined {
    return this.#data.sessions[key];
  }

  setSession(key: string, sessionId: string): void {
    if (this.#data.sessions[key] === sessionId) return;
    this.#data.sessions[key] = sessionId;
    this.#save();
  }

  /** true the first time an update id is seen; false for one handled before (stored before handling). */
  claimUpdate(updateId: number): boolean {
    const recent = this.#data.recentUpdates;
    if (recent.includes(updateId)) return false;
    recent.push(updateId);
    if (recent.length > RECENT_UPDATES) recent.splice(0, recent.length - RECENT_UPDATES);
    this.#save();
    return true;
  }

  #save(): void {
    // Written whole to a temporary file and renamed: a crash leaves the old state or the new one.
    const tmp = `${this.#file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.#file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(tmp, `${JSON.stringify(this.#data, null, 2)}\n`, { mode: 0o600 });
      fs.renameSync(tmp, this.#file);
    } catch (err) {
      this.#onError(`cannot save ${this.#file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
}
