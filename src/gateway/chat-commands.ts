// The chat's slash commands, platform-neutral: each returns the reply (markdown) to send.

import type { ChatRunner } from './chat-runner.js';

// /start is what Telegram sends when someone opens the bot: it gets the help.
export const CHAT_COMMANDS = ['new', 'stop', 'model', 'usage', 'help', 'start'] as const;
export type ChatCommand = (typeof CHAT_COMMANDS)[number];

export const CHAT_HELP = `I am hermes, an agent that answers here and can use tools in the folder the gateway runs in.

/new: start a new conversation (the old one stays saved)
/stop: stop the answer being written
/model: show the model; /model <name> switches to another
/usage: tokens this conversation has used
/help: this text

Send a message while I answer and it is answered next.`;

export function isChatCommand(name: string): name is ChatCommand {
  return (CHAT_COMMANDS as readonly string[]).includes(name);
}

/** Runs a command; the reply to send, or undefined when there is nothing to say. */
export async function runChatCommand(runner: ChatRunner, command: ChatCommand, argument: string): Promise<string | undefined> {
  const { conversation } = runner;
  switch (command) {
    case 'new': {
      // The stopped answer is stored in the old session before the new one begins.
      runner.stop();
      await runner.idle();
      conversation.renew();
      return `New conversation (session \`${conversation.sessionId}\`).`;
    }
    case 'stop':
      // The stopped answer says so itself, in its last edit.
      return runner.stop() ? undefined : 'Nothing is running.';
    case 'model': {
      const name = argument.trim();
      if (name === '') return `Model: \`${conversation.agent.model}\` (${conversation.agent.providerId}). /model <name> switches.`;
      if (!/^[\w./:@-]{1,100}$/.test(name)) return 'That does not look like a model name.';
      conversation.setModel(name);
      return `Model switched to \`${name}\`${runner.busy ? ' (from the next answer on)' : ''}.`;
    }
    case 'usage': {
      const { usage, requestCount } = conversation.agent;
      return `This conversation: ${usage.inputTokens} input and ${usage.outputTokens} output tokens in ${requestCount} request${requestCount === 1 ? '' : 's'} since the gateway started (session \`${conversation.sessionId}\`).`;
    }
    case 'help':
    case 'start':
      return CHAT_HELP;
  }
}
