// The other two wire APIs end to end: --provider anthropic against a loopback Messages API and
// --provider openai-responses against a loopback Responses API.

import { describe, expect, it } from 'vitest';
import type { LoopbackServer } from '../support/loopback.js';
import { anthropicTextSse } from '../support/wire/anthropic.js';
import { responsesTextSse } from '../support/wire/openai-responses.js';
import { e2eScope, runHermes } from './helpers.js';

const scope = e2eScope();
let server: LoopbackServer | undefined;

function dirs() {
  const d = scope.home();
  return { HOME: d.home, HERMES_HOME: d.hermesHome };
}

describe('--provider anthropic', () => {
  it('streams a Messages API answer from ANTHROPIC_BASE_URL with ANTHROPIC_API_KEY', async () => {
    server = await scope.serve([{ kind: 'stream', chunks: [anthropicTextSse(['Bonjour', ' from', ' Claude'])] }]);
    const result = await runHermes(['--provider', 'anthropic', '-p', 'hi', '-s', 'sys'], {
      env: { ...dirs(), ANTHROPIC_BASE_URL: server.origin, ANTHROPIC_API_KEY: 'sk-ant-test-0123456789', OPENAI_API_KEY: 'sk-unused-0123456789' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Bonjour from Claude\n');
    expect(result.stderr).toBe('');
    const request = server.requests[0]!;
    expect(request.url).toBe('/v1/messages');
    // The SDK sends the key as x-api-key or (1.x) as a bearer token; either way, it is ours.
    expect(`${request.headers['x-api-key'] ?? ''} ${request.headers.authorization ?? ''}`).toContain('sk-ant-test-0123456789');
    expect(request.headers.authorization ?? '').not.toContain('sk-unused');
    expect(request.json).toMatchObject({ model: 'claude-sonnet-4-6', stream: true, messages: [{ role: 'user' }] });
  });

  it('is chosen for a claude model without --provider', async () => {
    server = await scope.serve([{ kind: 'stream', chunks: [anthropicTextSse(['ok'])] }]);
    const result = await runHermes(['-m', 'claude-haiku-4-5', '-p', 'hi'], {
      env: { ...dirs(), ANTHROPIC_BASE_URL: server.origin, ANTHROPIC_API_KEY: 'sk-ant-test-0123456789' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('ok\n');
    expect(server.requests[0]!.url).toBe('/v1/messages');
    expect(server.requests[0]!.json.model).toBe('claude-haiku-4-5');
  });

  it('without ANTHROPIC_API_KEY at the default address names that variable', async () => {
    const result = await runHermes(['--provider', 'anthropic', '-p', 'hi'], { env: { ...dirs(), OPENAI_API_KEY: 'sk-unused-0123456789' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^hermes: ANTHROPIC_API_KEY is not set\. Export it/);
  });
});

describe('--provider openai-responses', () => {
  it('streams a Responses API answer from OPENAI_BASE_URL', async () => {
    server = await scope.serve([{ kind: 'stream', chunks: [responsesTextSse(['Hello', ' via', ' responses'])] }]);
    const result = await runHermes(['--provider', 'openai-responses', '-p', 'hi', '--output-format', 'json'], {
      env: { ...dirs(), OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'sk-test-e2e-0123456789' },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ text: 'Hello via responses', provider: 'openai-responses', model: 'gpt-4o-2024-08-06', status: 'completed' });
    expect(server.requests[0]!.url).toBe('/v1/responses');
    expect(server.requests[0]!.json).toMatchObject({ model: 'gpt-5-mini', stream: true });
  });
});
