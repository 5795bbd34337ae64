// Asking a local or routing server how large its model's context window is: what it was
// started with, which the built-in table (keyed by model name) cannot know. Each server family
// answers at its own address; every probe is short and a failure is simply "no answer".

const PROBE_TIMEOUT_MS = 2_000;

type Fetch = typeof globalThis.fetch;

/** The server's window for `model`, or undefined when no probe got an answer. */
export async function serverContextWindow(baseURL: string, model: string, fetcher: Fetch = globalThis.fetch): Promise<number | undefined> {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return undefined;
  }
  const origin = url.origin;
  const apiRoot = baseURL.replace(/\/+$/, '');
  const get = (address: string, init?: RequestInit) => probe(fetcher, address, init);
  if (url.hostname.endsWith('openrouter.ai')) return openRouter(await get(`${apiRoot}/models`), model);
  // The families answer at different paths; asking them all at once costs one round trip.
  const answers = await Promise.all([
    get(`${origin}/props`).then(llamaCppProps),
    get(`${apiRoot}/models`).then((body) => llamaCppModels(body, model) ?? openRouter(body, model)),
    get(`${origin}/api/show`, { method: 'POST', body: JSON.stringify({ model }), headers: { 'content-type': 'application/json' } }).then(ollamaShow),
    get(`${origin}/api/v0/models/${encodeURIComponent(model)}`).then(lmStudio),
  ]);
  return answers.find((tokens) => tokens !== undefined);
}

async function probe(fetcher: Fetch, address: string, init?: RequestInit): Promise<unknown> {
  try {
    const response = await fetcher(address, { ...init, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!response.ok) return undefined;
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

function positive(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** llama.cpp's GET /props: the context the server was started with. */
function llamaCppProps(body: unknown): number | undefined {
  const props = record(body);
  return positive(record(props?.default_generation_settings)?.n_ctx) ?? positive(props?.n_ctx);
}

/** llama.cpp's GET /v1/models: meta.n_ctx (newer) or n_ctx_train of the model. */
function llamaCppModels(body: unknown, model: string): number | undefined {
  const entry = modelEntry(body, model);
  const meta = record(entry?.meta);
  return positive(meta?.n_ctx) ?? positive(meta?.n_ctx_train);
}

/** OpenRouter (and others that copy it): context_length per model. */
function openRouter(body: unknown, model: string): number | undefined {
  return positive(modelEntry(body, model)?.context_length);
}

/** Ollama's POST /api/show: num_ctx when the model sets it, else the model's own length. */
function ollamaShow(body: unknown): number | undefined {
  const show = record(body);
  const parameters = typeof show?.parameters === 'string' ? show.parameters : '';
  const numCtx = /^\s*num_ctx\s+(\d+)\s*$/m.exec(parameters)?.[1];
  if (numCtx) return positive(numCtx);
  const info = record(show?.model_info);
  const key = info && Object.keys(info).find((k) => k.endsWith('.context_length'));
  return key ? positive(info[key]) : undefined;
}

/** LM Studio's GET /api/v0/models/{id}: the loaded context, else the model's maximum. */
function lmStudio(body: unknown): number | undefined {
  const model = record(body);
  return positive(model?.loaded_context_length) ?? positive(model?.max_context_length);
}

function modelEntry(body: unknown, model: string): Record<string, unknown> | undefined {
  const data = record(body)?.data;
  if (!Array.isArray(data)) return undefined;
  const entries = data.map(record).filter((e): e is Record<string, unknown> => e !== undefined);
  // A single-model server (llama.cpp) names its model after the file, not what was asked for.
  return entries.find((e) => e.id === model) ?? (entries.length === 1 ? entries[0] : undefined);
}
