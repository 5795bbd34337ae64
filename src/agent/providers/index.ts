// Loads one provider adapter on demand, so a run only pays for the SDK it uses.

import type { Provider, ProviderConnection, ProviderId } from '../types.js';

export async function createProvider(id: ProviderId, connection: ProviderConnection): Promise<Provider> {
  switch (id) {
    case 'openai':
      return (await import('./openai.js')).createOpenAIProvider(connection);
    case 'anthropic':
      return (await import('./anthropic.js')).createAnthropicProvider(connection);
    case 'openai-responses':
      return (await import('./openai-responses.js')).createOpenAIResponsesProvider(connection);
  }
}
