#!/usr/bin/env node
// Thin launcher: turn on Node's compile cache where it exists (Node >= 22.8), then run the bundle.
import module from 'node:module';

try {
  module.enableCompileCache?.();
} catch {
  // A cache folder we cannot write is no reason not to start.
}
try {
  await import('../dist/cli.js');
} catch (err) {
  // A clone that was never built (npm install builds dist/) gets a hint, not a stack trace.
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist')) throw err;
  const root = new URL('..', import.meta.url).pathname;
  process.stderr.write(`hermes: not built yet: run 'npm install' (or 'npm run build') in ${root}\n`);
  process.exitCode = 2;
}
