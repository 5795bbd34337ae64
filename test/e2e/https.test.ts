// The real providers are HTTPS: the built binary streams over TLS from a loopback server whose
// self-signed certificate the child trusts through NODE_EXTRA_CA_CERTS.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicTextSse } from '../support/wire/anthropic.js';
import { chatTextSse } from '../support/wire/openai-chat.js';
import { ensureBuilt, runHermes, tempHome } from './helpers.js';

const dirs = tempHome();
const cert = path.join(dirs.home, 'cert.pem');
const key = path.join(dirs.home, 'key.pem');
const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
let server: https.Server | undefined;
let origin = '';
const seen: { url: string; encoding?: string }[] = [];

beforeAll(async () => {
  await ensureBuilt();
  if (!haveOpenssl) return;
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ url: req.url ?? '', encoding: req.headers['accept-encoding'] });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(req.url?.endsWith('/messages') ? anthropicTextSse(['Over ', 'TLS ', 'too']) : chatTextSse(['Over ', 'TLS']));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  dirs.cleanup();
});

describe.skipIf(!haveOpenssl)('HTTPS providers', () => {
  const env = () => ({ HOME: dirs.home, HERMES_HOME: dirs.hermesHome, NODE_EXTRA_CA_CERTS: cert });

  it('streams a Chat Completions answer over TLS', async () => {
    const result = await runHermes(['--no-session', '-p', 'hi'], { env: { ...env(), OPENAI_BASE_URL: `${origin}/v1`, OPENAI_API_KEY: 'sk-test-tls-0123456789' } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('Over TLS\n');
    expect(result.code).toBe(0);
  });

  it('streams an Anthropic answer over TLS', async () => {
    const result = await runHermes(['--no-session', '--provider', 'anthropic', '-m', 'claude-sonnet-4-6', '-p', 'hi'], {
      env: { ...env(), ANTHROPIC_BASE_URL: origin, ANTHROPIC_API_KEY: 'sk-ant-test-tls-0123456789' },
    });
    expect(result.stdout).toBe('Over TLS too\n');
    expect(result.code).toBe(0);
  });

  it('refuses a certificate it does not trust with one readable line', async () => {
    const result = await runHermes(['--no-session', '-p', 'hi'], { env: { HOME: dirs.home, HERMES_HOME: dirs.hermesHome, OPENAI_BASE_URL: `${origin}/v1`, OPENAI_API_KEY: 'sk-test-tls-0123456789' } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^hermes: the server's TLS certificate was refused \(DEPTH_ZERO_SELF_SIGNED_CERT\); for a private CA, set NODE_EXTRA_CA_CERTS\n$/);
  });
});
