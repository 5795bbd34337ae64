// `hermes serve`: flags and configuration, the refusal to expose a key-less server beyond
// loopback, the ready line, and a clean stop on SIGINT/SIGTERM. Loaded by the CLI only for
// this subcommand, so `hermes -p` and `hermes --version` never load the server.

import { agentSettings, ConfigError, resolveConfig } from '../agent/config.js';
import { compactionSettings, setUpConversation } from '../agent/conversation.js';
import { ToolSelectionError } from '../agent/tools/builtin.js';
import { setUpTools } from '../agent/tools/setup.js';
import { UsageError } from '../cli/args.js';
import { USAGE_EXIT } from '../cli/usage-error.js';
import { isLoopbackHost } from './auth.js';
import { parseServeArgs, type ServeFlags } from './args.js';
import { DEFAULT_TIMEOUTS } from './connection-limits.js';
import { DEFAULT_KEEPALIVE_MS, DEFAULT_MAX_CONCURRENT, DEFAULT_MODEL_ID, DEFAULT_PORT, DEFAULT_STORE_SIZE, startServer } from './server.js';

export const SERVE_HELP = `hermes serve: the hermes agent as an OpenAI-compatible HTTP server

Usage:
  hermes serve [options]

Endpoints: GET /health, GET /v1/models, POST /v1/chat/completions, POST /v1/responses,
GET and DELETE /v1/responses/{id}. Streaming and not. The model id is "${DEFAULT_MODEL_ID}"; any model
name a client sends is accepted and answered by the model configured below.

Options:
      --host <address>            address to bind (default 127.0.0.1); anything but loopback
                                  needs a key
      --port <n>                  port (default ${DEFAULT_PORT}; 0 picks a free one)
      --key <key>                 bearer key clients must send (default: HERMES_SERVER_KEY)
      --cors-origin <origin>      let browser pages from this origin call (repeatable; '*' any)
      --max-concurrent <n>        agent requests at once; more get 429 (default ${DEFAULT_MAX_CONCURRENT})
      --store-size <n>            responses kept for previous_response_id (default ${DEFAULT_STORE_SIZE})
  -m, --model <name>              the model hermes asks (as for hermes -p)
      --provider <id>             openai | anthropic | openai-responses
      --base-url <url>            API address, e.g. a local OpenAI-compatible server
  -s, --system <text>             system prompt (a request's system messages follow it)
      --max-turns <n>             model requests allowed for one request (default 25)
      --stall-timeout <seconds>   give up when a stream is silent this long (default 120)
      --no-stream                 ask the model for whole answers (clients still get streams)
      --tools <a,b>               offer these tools (run in the server's working folder);
                                  none by default: nobody is there to approve a change
      --allow <a,b>               run these tools without approval inside the working folder
                                  (offered too)
      --yolo                      offer every tool and run all without approval (dangerous
                                  commands and changes outside the folder are still refused)
  -h, --help                      print this help

Request fields passed to the provider: temperature, top_p, max_tokens, stop, seed, user,
response_format (Responses: text.format), tools, tool_choice, parallel_tool_calls; one the
provider cannot take, or any other field, is a 400 naming it. A call of a client's own tool
ends the turn as tool_calls / function_call items; its result continues it.
Without a key, only requests addressed to localhost, 127.0.0.1 or [::1] (their Host header)
are answered: others get 403, which keeps web pages out through DNS rebinding.
Slow clients: request headers must arrive within ${DEFAULT_TIMEOUTS.headersMs / 1000} s and the whole request within ${DEFAULT_TIMEOUTS.requestMs / 1000} s
(else 408 and the connection is closed); an idle keep-alive connection closes after ${DEFAULT_TIMEOUTS.keepAliveMs / 1000} s;
a stream whose client reads nothing for ${DEFAULT_TIMEOUTS.drainMs / 1000} s is cut off.
Environment: HERMES_SERVER_KEY, and everything hermes -p reads (keys, base URLs, HERMES_*).
Each request is logged on stderr (method, path, status, duration, tokens); the key never is.
Extensions a request may opt into: "hermes": {"tool_progress": true} (custom SSE events
hermes.tool_started / hermes.tool_finished) and, for chat completions, {"reasoning": true}
(the reasoning as delta.reasoning_content).
`;

export async function runServe(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let flags: ServeFlags;
  try {
    flags = parseServeArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return usage(`${err.message}\nTry 'hermes serve --help'.`);
    throw err;
  }
  if (flags.help) {
    process.stdout.write(SERVE_HELP);
    return 0;
  }

  const host = flags.host ?? '127.0.0.1';
  const key = flags.key ?? (env.HERMES_SERVER_KEY?.trim() || undefined);
  if (!key && !isLoopbackHost(host)) {
    return usage(`refusing to serve on ${host} without a key: anyone who can reach it could run the agent. Set HERMES_SERVER_KEY or --key, or bind 127.0.0.1.`);
  }
  if (key !== undefined && key.length < 8) return usage('HERMES_SERVER_KEY must be at least 8 characters long');

  let config;
  try {
    config = resolveConfig({ flags, env });
  } catch (err) {
    if (err instanceof ConfigError) return usage(err.message.replace(/\s*\n\s*/g, ' '));
    throw err;
  }

  // A server has nobody to ask: tools are off unless named, and a call that needs approval is
  // refused (and logged) unless --allow or --yolo approved it up front.
  let tools;
  try {
    const offered = flags.yolo ? undefined : [...new Set([...(flags.tools ?? []), ...(flags.allow ?? [])])];
    tools = setUpTools(
      { noTools: offered?.length === 0, tools: offered, yolo: flags.yolo, allow: flags.allow, keepEnv: config.shellEnvKeep },
      { onDenied: (request) => void process.stderr.write(`hermes: denied ${request.call.name}: it needs approval (${request.hint ?? `start the server with --allow ${request.call.name} or --yolo`})\n`) },
    );
  } catch (err) {
    if (err instanceof ToolSelectionError) return usage(err.message);
    throw err;
  }

  let server;
  try {
    // With tools the model acts in this folder: it gets hermes' own system prompt and the
    // project's instructions. Without, the server stays a plain model behind the API.
    const toolNames = tools.registry.definitions().map((tool) => tool.name);
    const conversation = setUpConversation(config, { cwd: process.cwd(), tools: toolNames });
    server = await startServer({
      agent: {
        ...agentSettings(config),
        ...(toolNames.length > 0 ? { system: conversation.system } : {}),
        tools: tools.registry,
        compaction: compactionSettings(config, (await conversation.window).tokens),
        ...(conversation.cache ? { cache: { ...(conversation.cache.ttl ? { ttl: conversation.cache.ttl } : {}) } } : {}),
      },
      host,
      port: flags.port ?? DEFAULT_PORT,
      key,
      corsOrigins: flags.corsOrigins,
      maxConcurrent: flags.maxConcurrent,
      storeSize: flags.storeSize,
      keepaliveMs: DEFAULT_KEEPALIVE_MS,
      secrets: config.secrets,
      log: (line) => void process.stderr.write(`hermes: ${line}\n`),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      process.stderr.write(`hermes: cannot listen on ${host}:${flags.port ?? DEFAULT_PORT} (${code})\n`);
      return USAGE_EXIT;
    }
    throw err;
  }

  if (!key) process.stderr.write('hermes: no key set (HERMES_SERVER_KEY or --key), so serving on loopback only\n');
  process.stdout.write(`hermes serve: listening on ${server.url} (model ${DEFAULT_MODEL_ID} -> ${config.provider} ${config.model})\n`);

  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stderr.write(`hermes: ${signal}: stopping\n`);
      void server.close().then(() => resolve(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function usage(message: string): number {
  process.stderr.write(`hermes: ${message}\n`);
  return USAGE_EXIT;
}
