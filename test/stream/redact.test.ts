import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/stream/redact.js';

describe('redactSecrets', () => {
  it('replaces every occurrence of a given secret', () => {
    const key = 'my-local-llm-key-123';
    const msg = `401 Unauthorized: key ${key} rejected (${key})`;
    expect(redactSecrets(msg, [key])).toBe('401 Unauthorized: key [redacted] rejected ([redacted])');
  });

  it('treats secrets literally, not as patterns', () => {
    const key = 'a.b*c+d?(e)$1';
    expect(redactSecrets(`x ${key} y aXbbbcd`, [key])).toBe('x [redacted] y aXbbbcd');
  });

  it('ignores secrets shorter than 8 characters and empty ones', () => {
    expect(redactSecrets('the model said ok', ['ok', '', 'model'])).toBe('the model said ok');
  });

  it('replaces a longer secret whole when it contains a shorter one', () => {
    expect(redactSecrets('token=abcdefgh12345678', ['abcdefgh', 'abcdefgh12345678'])).toBe('token=[redacted]');
  });

  it('redacts OpenAI, Anthropic and OpenRouter key shapes it was not told about', () => {
    const keys = [
      'sk-abcdefghijklmnopqrstuvwxyz0123456789',
      'sk-proj-Ab3dEf_Gh1jKlMn0pQrStUvWx-yz',
      'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz_0123456789-abcdefAA',
      'sk-or-v1-0123456789abcdef0123456789abcdef',
    ];
    for (const key of keys) {
      const out = redactSecrets(`Incorrect API key provided: ${key}. See docs.`, []);
      expect(out).toBe('Incorrect API key provided: [redacted]. See docs.');
    }
  });

  it('redacts Groq, xAI and Google key shapes', () => {
    expect(redactSecrets('gsk_0123456789abcdefghijKLMNOP', [])).toBe('[redacted]');
    expect(redactSecrets('key=xai-0123456789abcdefghijKLMNOP', [])).toBe('key=[redacted]');
    expect(redactSecrets('AIzaSyA-0123456789abcdefghijklmnopqrstu', [])).toBe('[redacted]');
  });

  it('redacts bearer tokens in header dumps', () => {
    expect(redactSecrets('authorization: Bearer eyJhbGciOi.JIUzI1NiJ9.abc-def_ghi==', [])).toBe(
      'authorization: Bearer [redacted]',
    );
    expect(redactSecrets('"Authorization":"bearer  local-token-42"', [])).toBe('"Authorization":"bearer  [redacted]"');
  });

  it('leaves ordinary text alone', () => {
    const text = 'risk-assessment-framework-details, task-scheduler-configuration, sk-short, Bearer tokens';
    expect(redactSecrets(text, [])).toBe(text);
  });

  it('gives the same result when called twice (no regex state carried over)', () => {
    const msg = 'first sk-abcdefghijklmnopqrstuv then sk-zyxwvutsrqponmlkjihg';
    expect(redactSecrets(msg, [])).toBe('first [redacted] then [redacted]');
    expect(redactSecrets(msg, [])).toBe('first [redacted] then [redacted]');
  });
});

describe('redactSecrets with overlapping matches', () => {
  it('leaves no fragment of a key when a given secret is part of a key shape', () => {
    const key = 'sk-abcdefghijklmnopqrstuvwxyz';
    expect(redactSecrets(`Error 401: Bearer ${key} rejected`, ['abcdefghijklmnop'])).toBe(
      'Error 401: Bearer [redacted] rejected',
    );
  });

  it('merges secrets that overlap each other in the text', () => {
    expect(redactSecrets('x 1234567890abcdefgh y', ['1234567890ab', '90abcdefgh'])).toBe('x [redacted] y');
  });

  it('redacts overlapping occurrences of a repeated secret as one span', () => {
    expect(redactSecrets('aaaaaaaaaa!', ['aaaaaaaa'])).toBe('[redacted]!');
  });
});
