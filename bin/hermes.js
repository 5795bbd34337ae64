#!/usr/bin/env node
// Thin launcher: turn on Node's compile cache where it exists (Node >= 22.8), then run the bundle.
import module from 'node:module';

try {
  module.enableCompileCache?.();
} catch {
  // A cache folder we cannot write is no reason not to start.
}
await import('../dist/cli.js');
