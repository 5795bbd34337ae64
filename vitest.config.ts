import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Generous limits: these guard against hangs, they are not performance assertions.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only fight over them (and over loopback timing).
    maxWorkers: 2,
  },
});
