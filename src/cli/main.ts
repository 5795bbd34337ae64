// The bundle entry (dist/cli.js). One self-contained module on purpose: with code splitting,
// esbuild makes an entry that statically imports any other bundled module also import the shared
// runtime chunk, so `hermes --version` and `hermes --help` would load more than this file. They
// print and return here; everything else (argument parsing, configuration, agent, SDKs) is
// behind the dynamic import of run.js, which reports usage and configuration errors itself.

import { readFileSync } from 'node:fs';

/** Set by the bundler when scripts/build.mjs defines it; otherwise read from package.json. */
declare const __HERMES_VERSION__: string | undefined;

const HELP = `hermes: a terminal chat agent whose answers stream token by token

Usage:
  hermes                          interactive chat (stdin and stdout are a terminal)
  hermes -p "prompt"              answer one prompt, streaming it to stdout, then exit
  cat file | hermes -p "task"     the prompt, a blank line, then what was piped in
  echo "question" | hermes        piped stdin is the prompt
  hermes serve [options]          OpenAI-compatible HTTP server (see hermes serve --help)
  hermes gateway telegram         the agent as a Telegram bot (see hermes gateway --help)

Options:
  -p, --prompt <text>             the prompt (one-shot mode)
  -m, --model <name>              model (default: gpt-4.1-mini; openai-responses:
                                  gpt-5-mini; anthropic: claude-sonnet-4-6)
      --provider <id>             openai | anthropic | openai-responses (default: openai,
                                  or anthropic when the model starts with "claude")
      --base-url <url>            API address, e.g. a local OpenAI-compatible server
  -s, --system <text>             system prompt
      --no-stream                 ask for the whole answer at once instead of a stream
      --output-format <format>    text (default) | json | stream-json (one JSON object per line)
      --show-reasoning            print the model's reasoning on stderr even when it is not
                                  a terminal
      --max-turns <n>             model requests allowed for one prompt (default 25)
      --stall-timeout <seconds>   give up when a stream is silent this long (default 120)
  -c, --continue                  continue the session last used in this folder
      --resume [id]               continue the given session (an id or a unique prefix);
                                  without an id, choose one (a list without a terminal)
      --no-session                store nothing (sessions live in HERMES_HOME/sessions)
      --yolo                      approve every tool call (dangerous commands and changes
                                  outside the working folder still ask)
      --allow <tool,tool>         approve these tools without asking, inside the working folder
      --tools <tool,tool>         offer only these tools to the model
      --no-tools                  offer no tools at all
      --council <a,b,c|name>      several models answer at once, then a chair synthesises
                                  (--chair x, --review, --council-mode raw, --quorum N,
                                  --show-members; see the README)
  -v, --version                   print the version
  -h, --help                      print this help
  --flag=value works too; -- ends the options.

Environment:
  OPENAI_API_KEY, ANTHROPIC_API_KEY     API keys (read from the environment only, never stored;
                                        not needed with a custom base URL)
  OPENAI_BASE_URL, ANTHROPIC_BASE_URL   API addresses (openai-responses uses OPENAI_*)
  HERMES_PROVIDER, HERMES_MODEL         defaults for --provider and --model
  HERMES_STALL_TIMEOUT                  default for --stall-timeout, in seconds
  HERMES_HOME                           folder for config.json, sessions and input history
                                        (default: the platform's config folder, e.g.
                                        ~/.config/hermes)
  NO_COLOR                              no colour at all
  HERMES_DEBUG=1                        stack traces for unexpected errors

Config file (config.json): provider, model, baseURL, system, stallTimeout, maxTurns, stream,
thinkTags ("auto", "implicit" or "off"),
per provider {"anthropic": {"model": "...", "baseURL": "..."}}, named model profiles
{"models": {"local": {"model": "...", "baseURL": "...", "apiKeyEnv": "VAR"}}} (-m local)
and councils {"councils": {"trio": {"members": ["a", "b"], "chair": "a"}}}.
Precedence: options > environment > config file > defaults.

Exit codes:
  0    success (also when stdout was closed early, e.g. by head)
  1    the model, a tool or the network failed
  2    usage or configuration error
  130  interrupted (Ctrl+C)
`;

const FAILURE_EXIT = 1;

function version(): string {
  if (typeof __HERMES_VERSION__ === 'string') return __HERMES_VERSION__;
  // dist/cli.js sits one folder below package.json, which npm always ships.
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    if (typeof pkg.version === 'string') return pkg.version;
  } catch {
    // fall through
  }
  return 'unknown';
}

async function main(argv: readonly string[]): Promise<number> {
  // The common spellings answer without loading anything; mixed with other arguments they
  // go through the full parser, which asks us to print the same text.
  let answer: number | 'help' | 'version';
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) answer = 'help';
  else if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) answer = 'version';
  else answer = await (await import('./run.js')).run(argv);

  if (answer === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (answer === 'version') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  return answer;
}

/** Anything unexpected that escaped: one line (a stack only with HERMES_DEBUG=1), exit 1. */
function report(err: unknown): number {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`hermes: ${oneLine(message)}\n`);
  if (process.env.HERMES_DEBUG === '1' && err instanceof Error && err.stack) {
    process.stderr.write(`${redact(err.stack)}\n`);
  }
  return FAILURE_EXIT;
}

function redact(text: string): string {
  let out = text;
  for (const key of [process.env.OPENAI_API_KEY, process.env.ANTHROPIC_API_KEY]) {
    if (key && key.length >= 8) out = out.split(key).join('[redacted]');
  }
  return out;
}

function oneLine(text: string): string {
  // Controls are dropped: a message may quote a server or a file.
  // eslint-disable-next-line no-control-regex
  return redact(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '').replace(/\s*\n\s*/g, ' ').trim();
}

function settle(code: number): void {
  process.exitCode = code;
  // Everything is written once stdout drains; a stray handle (a keep-alive socket, a timer in
  // a dependency) must not keep a finished command alive.
  process.stdout.write('', () => {
    setTimeout(() => process.exit(code), 1000).unref();
  });
}

// A reader that goes away (`hermes --help | head -1`) is not a crash; the one-shot writer
// adds its own listener to stop the model when that happens.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

main(process.argv.slice(2)).then(settle, (err: unknown) => settle(report(err)));
