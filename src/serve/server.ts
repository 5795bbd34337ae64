// `hermes serve`: the agent behind an OpenAI-compatible HTTP API, on node:http directly.
// This file owns sockets, routing, the key, CORS, the concurrency limit, logging and shutdown;
// chat.ts and responses.ts map agent events to the two wire formats. No provider logic and no
// agent loop here: every request gets its own Agent over one shared provider adapter.

import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type AgentOptions } from '../agent/agent.js';
import { Compactor, type CompactionSettings } from '../agent/context/compactor.js';
import { createProvider } from '../agent/providers/index.js';
import type { Provider, ProviderConnection, ProviderId, Usage } from '../agent/types.js';
import { redactSecrets } from '../stream/redact.js';
import { CORS_ALLOW_METHODS, corsHeaders, keyChecker, loopbackHostHeader, originAllowed, type CorsPolicy } from './auth.js';
import { handleChat, parseChatRequest } from './chat.js';
import type { RequestContext, StopCause, TurnSetup } from './context.js';
import { clientErrorHandler, resolveTimeouts, serverLimits, type ServeTimeouts, type TimedOut } from './connection-limits.js';
import { errorBody, HttpError } from './errors.js';
import { decodeId, printable, readJson, requireMethod } from './http-request.js';
import { handleResponses, handleStoredResponse } from './responses.js';
import { parseResponsesRequest } from './responses-request.js';
import { ResponseStore } from './store.js';

export const DEFAULT_PORT = 8642;
export const DEFAULT_MODEL_ID = 'hermes';
export const DEFAULT_MAX_CONCURRENT = 32;
export const DEFAULT_STORE_SIZE = 100;
export const DEFAULT_KEEPALIVE_MS = 15_000;
const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** How long running streams get to write their error frame when the server stops. */
const SHUTDOWN_GRACE_MS = 3_000;

/** The agent settings every request's Agent starts from (its system prompt comes first). */
export type ServeAgentOptions = Pick<
  AgentOptions,
  'provider' | 'model' | 'connection' | 'system' | 'tools' | 'maxTurns' | 'stream' | 'retry' | 'providerFactory' | 'cache'
> & {
  /** Each request's conversation is compacted to fit this window (a Compactor of its own). */
  compaction?: CompactionSettings;
};

export interface ServerOptions {
  agent: ServeAgentOptions;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8642; 0 picks a free port. */
  port?: number;
  /** Bearer key clients must send; none: no check (callers keep such a server on loopback). */
  key?: string;
  /** Origins allowed to call from a browser; '*' allows any. */
  corsOrigins?: readonly string[];
  /** Agent requests running at once; one more gets 429. */
  maxConcurrent?: number;
  /** Responses kept for previous_response_id and GET /v1/responses/{id}. */
  storeSize?: number;
  /** A `: keepalive` comment after this long without data. */
  keepaliveMs?: number;
  /** The model id clients see. Default 'hermes'. */
  modelId?: string;
  /** Ids for chat completions, responses and items (tests make them deterministic). */
  ids?: (prefix: string) => string;
  /** Milliseconds since the epoch (tests fix it). */
  now?: () => number;
  /** One line per request and lifecycle notes; default: stderr. */
  log?: (line: string) => void;
  /** Keys to redact from anything sent to clients or logged. */
  secrets?: readonly string[];
  maxBodyBytes?: number;
  /** Limits on slow clients (see connection-limits.ts); tests make them small. */
  timeouts?: Partial<ServeTimeouts>;
}

export interface RunningServer {
  /** http://host:port */
  url: string;
  port: number;
  /** Stops accepting, ends running streams with an error frame, then closes every connection. */
  close(): Promise<void>;
}

/** What the log line says about a request beyond its status. */
interface Note {
  usage?: Usage;
  outcome?: string;
  clientClosed?: boolean;
}

interface ActiveTurn {
  stop(cause: StopCause): void;
  done: Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const modelId = options.modelId ?? DEFAULT_MODEL_ID;
  const maxConcurrent = options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
  const keepaliveMs = options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const secrets = [...(options.secrets ?? []), ...(options.key ? [options.key] : [])];
  const ids = options.ids ?? ((prefix: string) => `${prefix}${randomUUID().replaceAll('-', '')}`);
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const store = new ResponseStore(options.storeSize ?? DEFAULT_STORE_SIZE);
  const authorized = options.key ? keyChecker(options.key) : () => true;
  const cors: CorsPolicy = { origins: options.corsOrigins ?? [] };
  const agentOptions = options.agent;
  const ownTools = (agentOptions.tools?.definitions() ?? []).map((tool) => tool.name);
  const createdAt = Math.floor(now() / 1000);
  const timeouts = resolveTimeouts(options.timeouts);
  const timedOut: TimedOut = new WeakSet();

  // One adapter for all requests: it builds a fresh SDK client per request anyway, and keeps
  // what it learnt about the server (a rejected stream_options) for the next one.
  let provider: Promise<Provider> | undefined;
  const providerFactory = (id: ProviderId, connection: ProviderConnection): Promise<Provider> => {
    provider ??= (agentOptions.providerFactory ?? createProvider)(id, connection).catch((err: unknown) => {
      provider = undefined;
      throw err;
    });
    return provider;
  };

  const active = new Set<ActiveTurn>();
  let closing = false;

  const server = http.createServer(serverLimits(timeouts), (req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const note: Note = {};
    const closed = new Promise<void>((resolve) => res.once('close', resolve));
    try {
      await route(req, res, method, path, note);
    } finally {
      // One line once the response is over and the run has settled (so its tokens are known).
      await closed;
      const ms = Math.round(performance.now() - started);
      const tokens = note.usage ? ` tokens ${note.usage.inputTokens}/${note.usage.outputTokens}` : '';
      // Nothing sent: the status code would be the default 200 of a response that never was.
      const unanswered = !res.headersSent;
      const late = unanswered && timedOut.has(req.socket);
      const status = unanswered ? (late ? 408 : 499) : res.statusCode;
      const end = late ? ' request-timeout' : note.clientClosed || unanswered ? ' client-closed' : note.outcome ? ` ${note.outcome}` : '';
      log(`${method} ${printable(path)} ${status} ${ms}ms${tokens}${end}`);
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse, method: string, path: string, note: Note): Promise<void> {
    const extraHeaders: Record<string, string> = closing ? { connection: 'close' } : {};
    const sendJson = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      if (res.headersSent || res.destroyed) return;
      const text = JSON.stringify(body);
      res.writeHead(status, { ...extraHeaders, ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const sendError = (error: HttpError): void => sendJson(error.status, error.body(), error.headers);

    try {
      if (!options.key && !loopbackHostHeader(req.headers.host)) {
        const host = req.headers.host === undefined ? 'no Host header' : `Host ${printable(req.headers.host)}`;
        throw new HttpError(
          403,
          `${host}: without a key hermes serve only answers requests addressed to localhost, 127.0.0.1 or [::1] (this keeps web pages out through DNS rebinding); set --key or HERMES_SERVER_KEY to serve other names`,
          'invalid_request_error',
          'host_not_allowed',
        );
      }
      // A browser page on any site can send a "simple" POST to a loopback server without a
      // preflight; refusing unlisted origins keeps such pages from running the agent.
      const origin = req.headers.origin;
      if (origin !== undefined) {
        if (!originAllowed(cors, origin)) throw new HttpError(403, `origin ${printable(origin)} is not allowed (see --cors-origin)`, 'invalid_request_error', 'origin_not_allowed');
        Object.assign(extraHeaders, corsHeaders(origin, req, method === 'OPTIONS'));
      }
      if (method === 'OPTIONS') {
        res.writeHead(204, { ...extraHeaders, allow: CORS_ALLOW_METHODS });
        res.end();
        return;
      }
      if (path === '/health' || path === '/v1/health') {
        requireMethod(method, 'GET');
        sendJson(200, { status: 'ok' });
        return;
      }
      if (!authorized(req)) {
        throw new HttpError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
      }
      if (closing) throw new HttpError(503, 'the server is shutting down', 'server_error', 'server_shutdown');

      if (path === '/v1/models') {
        requireMethod(method, 'GET');
        sendJson(200, { object: 'list', data: [modelObject(modelId)] });
        return;
      }
      const model = /^\/v1\/models\/(.+)$/.exec(path);
      if (model) {
        // Every name is accepted by a completion (and answered by the configured model), so
        // every name exists here too.
        requireMethod(method, 'GET');
        sendJson(200, modelObject(decodeId(model[1]!)));
        return;
      }
      const stored = /^\/v1\/responses\/([^/]+)$/.exec(path);
      if (stored) {
        requireMethod(method, 'GET', 'DELETE');
        handleStoredResponse(context(res, extraHeaders, new AbortController().signal, () => undefined, note, sendJson, sendError), method, decodeId(stored[1]!));
        return;
      }
      if (path === '/v1/chat/completions' || path === '/v1/responses') {
        requireMethod(method, 'POST');
        const body = await readJson(req, maxBodyBytes);
        const parsed = path === '/v1/chat/completions' ? { chat: parseChatRequest(body) } : { responses: parseResponsesRequest(body) };
        if (active.size >= maxConcurrent) {
          throw new HttpError(429, `too many requests at once (this server runs at most ${maxConcurrent}); try again shortly`, 'requests', 'rate_limit_exceeded', null, { 'retry-after': '1' });
        }
        await runTurn(res, extraHeaders, note, sendJson, sendError, (ctx) =>
          parsed.chat ? handleChat(ctx, parsed.chat, agentOptions.system) : handleResponses(ctx, parsed.responses!, agentOptions.system),
        );
        return;
      }
      throw new HttpError(404, `Unknown request URL: ${method} ${printable(path)}.`, 'invalid_request_error', 'unknown_url');
    } catch (err) {
      if (err instanceof HttpError) {
        note.outcome = err.code ?? undefined;
        sendError(err);
        return;
      }
      note.outcome = 'internal_error';
      if (!res.headersSent) sendJson(500, errorBody('internal server error', 'server_error', 'internal_error'));
      else res.destroy();
      if (process.env.HERMES_DEBUG === '1') log(redactSecrets(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, secrets));
    }
  }

  /** Runs one agent request: counted against the limit, stopped by a client leaving or shutdown. */
  async function runTurn(
    res: ServerResponse,
    headers: Record<string, string>,
    note: Note,
    sendJson: RequestContext['sendJson'],
    sendError: RequestContext['sendError'],
    body: (ctx: RequestContext) => Promise<void>,
  ): Promise<void> {
    const controller = new AbortController();
    let cause: StopCause | undefined;
    const stop = (why: StopCause): void => {
      if (cause !== undefined) return;
      cause = why;
      controller.abort();
    };
    // The response's close, not the request's: the request ends as soon as its body is read.
    // Before the response is finished, a close means the client went away (also before the
    // first token), and the model request must stop at once.
    const onClose = (): void => {
      if (!res.writableFinished) {
        note.clientClosed = cause === undefined || cause === 'client';
        stop('client');
      }
    };
    res.once('close', onClose);
    let finish!: () => void;
    const turn: ActiveTurn = { stop, done: new Promise((resolve) => (finish = resolve)) };
    active.add(turn);
    try {
      const ctx = context(res, headers, controller.signal, () => cause, note, sendJson, sendError);
      await body(ctx);
    } finally {
      active.delete(turn);
      finish();
    }
  }

  function context(
    res: ServerResponse,
    headers: Record<string, string>,
    signal: AbortSignal,
    stopCause: () => StopCause | undefined,
    note: Note,
    sendJson: RequestContext['sendJson'],
    sendError: RequestContext['sendError'],
  ): RequestContext {
    return {
      res,
      headers,
      modelId,
      provider: agentOptions.provider,
      ownTools,
      keepaliveMs,
      drainTimeoutMs: timeouts.drainMs,
      secrets,
      store,
      signal,
      stopCause,
      id: ids,
      created: () => Math.floor(now() / 1000),
      agent: (setup: TurnSetup) => newAgent(setup),
      sendJson,
      sendError,
      get usage() {
        return note.usage;
      },
      set usage(value) {
        note.usage = value;
      },
      get outcome() {
        return note.outcome;
      },
      set outcome(value) {
        note.outcome = value;
      },
    };
  }

  function newAgent(setup: TurnSetup): Agent {
    const agent = new Agent({
      provider: agentOptions.provider,
      model: agentOptions.model,
      connection: agentOptions.connection,
      system: setup.system,
      tools: agentOptions.tools,
      maxTurns: agentOptions.maxTurns,
      stream: agentOptions.stream,
      retry: agentOptions.retry,
      maxOutputTokens: setup.maxOutputTokens,
      requestOptions: setup.options,
      clientTools: setup.clientTools,
      providerFactory,
      ...(agentOptions.compaction ? { compactor: new Compactor(agentOptions.compaction) } : {}),
      ...(agentOptions.cache ? { cache: agentOptions.cache } : {}),
    });
    agent.load(setup.history);
    return agent;
  }

  function modelObject(id: string): Record<string, unknown> {
    return { id, object: 'model', created: createdAt, owned_by: 'hermes' };
  }

  server.on('clientError', clientErrorHandler(timedOut));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const turns = [...active];
        for (const turn of turns) turn.stop('shutdown');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all(turns.map((turn) => turn.done)),
          new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS))),
        ]);
        clearTimeout(timer);
        // Let the error frames leave before the sockets go.
        await new Promise((resolve) => setImmediate(resolve));
        server.closeAllConnections();
        await stopped;
      })();
      return closed;
    },
  };
}
