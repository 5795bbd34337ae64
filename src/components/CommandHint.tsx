// The slash-command hint under the prompt: while the text starts with '/', the commands it
// can still become (or, once arguments are typed, the usage of the one it names).

import { Box, Text } from 'ink';
import { completeSlashCommand, usageOf } from '../tui/slash-commands.js';

export interface CommandHintProps {
  /** The prompt text. */
  input: string;
  /** Colour the command names (false under NO_COLOR). */
  colour?: boolean;
}

export function CommandHint({ input, colour = false }: CommandHintProps) {
  const { matches } = completeSlashCommand(input);
  if (matches.length === 0) return null;
  const width = Math.max(...matches.map((command) => usageOf(command).length));
  return (
    <Box flexDirection="column">
      {matches.map((command) => (
        <Text key={command.name} wrap="truncate-end">
          {'  '}
          <Text color={colour ? 'cyan' : undefined}>{usageOf(command).padEnd(width)}</Text>
          <Text dimColor>{`  ${command.description}`}</Text>
        </Text>
      ))}
    </Box>
  );
}
