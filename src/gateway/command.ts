// `hermes gateway <platform>`: flags, configuration and the token, checked before anything
// connects (mistakes: one line, exit 2). The platform's code (grammY for Telegram) is loaded
// only here, so `hermes -p` and `hermes --version` never load it.

import { ConfigError, resolveConfig } from '../agent/config.js';
import { selectTools, ToolSelectionError } from '../agent/tools/builtin.js';
import { UsageError } from '../cli/args.js';
import { USAGE_EXIT } from '../cli/usage-error.js';
import { parseGatewayArgs, type GatewayFlags } from './args.js';
import { DEFAULT_APPROVAL_TIMEOUT_S, DEFAULT_CURSOR, DEFAULT_EDIT_INTERVAL_S, gatewaySettings, telegramSettings } from './settings.js';

export const GATEWAY_HELP = `hermes gateway: the hermes agent in a chat app, each answer streamed by editing one message

Usage:
  hermes gateway telegram [options]

Talks to Telegram by long polling; stop it with Ctrl+C or SIGTERM (running answers say they
were stopped). Only the users on the allow list are answered; in groups, only when they mention
the bot or reply to it. Each chat (each forum topic) is one hermes session: /new, /stop,
/model [name], /usage, /help.

Options:
      --api-root <url>            another Bot API server (default https://api.telegram.org;
                                  also TELEGRAM_API_ROOT, gateway.telegram.apiRoot)
  -m, --model <name>              the model (as for hermes -p)
      --provider <id>             openai | anthropic | openai-responses
      --base-url <url>            API address, e.g. a local OpenAI-compatible server
  -s, --system <text>             system prompt
      --max-turns <n>             model requests allowed for one message (default 25)
      --stall-timeout <seconds>   give up when a stream is silent this long (default 120)
      --no-stream                 ask the model for whole answers
      --tools <a,b>               offer only these tools (run in the gateway's working folder)
      --no-tools                  offer no tools
      --allow <a,b>               run these tools without asking in the chat
  -h, --help                      print this help

Environment:
  TELEGRAM_BOT_TOKEN              the bot's token from @BotFather (or gateway.telegram.token);
                                  never printed
  TELEGRAM_ALLOWED_USERS          numeric user ids, comma-separated (or
                                  gateway.telegram.allowedUsers); nobody else is answered
  TELEGRAM_API_ROOT               as --api-root
  and everything hermes -p reads (keys, base URLs, HERMES_*).

Config file (config.json), section "gateway": editInterval (seconds between edits, default
${DEFAULT_EDIT_INTERVAL_S.toFixed(1)}), cursor (default "${DEFAULT_CURSOR}"), busy (queue | interrupt, default queue),
transport (edit | draft | auto, default edit), allowDangerous (default false),
approvalTimeout (seconds, default ${DEFAULT_APPROVAL_TIMEOUT_S}), telegram {token, apiRoot, allowedUsers}.
`;

export async function runGateway(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let flags: GatewayFlags;
  try {
    flags = parseGatewayArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return usage(`${err.message}\nTry 'hermes gateway --help'.`);
    throw err;
  }
  if (flags.help) {
    process.stdout.write(GATEWAY_HELP);
    return 0;
  }
  try {
    const config = resolveConfig({ flags, env });
    const settings = gatewaySettings(config);
    const telegram = telegramSettings(config, flags, env);
    // Tool names are checked now, not when the first chat opens.
    if (flags.tools) selectTools(flags.tools);
    if (flags.allow) selectTools(flags.allow);
    const { runTelegramGateway } = await import('./telegram-bot.js');
    return await runTelegramGateway({ config, settings, telegram, tools: flags, env });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof ToolSelectionError) return usage(err.message.replace(/\s*\n\s*/g, ' '));
    throw err;
  }
}

function usage(message: string): number {
  process.stderr.write(`hermes: ${message}\n`);
  return USAGE_EXIT;
}
