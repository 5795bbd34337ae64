// What the program itself prints with console.* while the TUI runs (a library's deprecation
// warning, say) becomes dim lines of the transcript, in order with everything else: written
// straight to the terminal it would land in the middle of the live region, and Ink's own console
// patch sends stderr past the frame it is redrawing. Secrets are taken out; the text is
// sanitised where every line of the transcript is.

import { format } from 'node:util';
import { redactSecrets } from '../stream/redact.js';

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

export interface ConsoleLines {
  /** Delivers the lines printed so far and every later one to `listener`; returns a function
   *  that stops it (lines printed meanwhile wait for the next listener). */
  listen(listener: (text: string) => void): () => void;
}

export interface ConsoleCapture extends ConsoleLines {
  /** Puts console back as it was. */
  restore(): void;
}

export function captureConsole(secrets: readonly string[]): ConsoleCapture {
  const saved = METHODS.map((method) => [method, console[method]] as const);
  const waiting: string[] = [];
  let listener: ((text: string) => void) | undefined;
  for (const method of METHODS) {
    console[method] = (...args: unknown[]): void => {
      const text = redactSecrets(format(...args), secrets).replace(/\s+$/, '');
      if (listener) listener(text);
      else waiting.push(text);
    };
  }
  return {
    listen(next) {
      listener = next;
      for (const text of waiting.splice(0)) next(text);
      return () => {
        if (listener === next) listener = undefined;
      };
    },
    restore() {
      for (const [method, original] of saved) console[method] = original;
      listener = undefined;
    },
  };
}
