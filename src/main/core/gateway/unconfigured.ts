import { AppError } from '@shared/errors';
import type { Gateway } from './types';

const refuse = (): never => {
  throw new AppError('unavailable', 'No model provider is configured yet. Add one under Configuration → Providers, then try again.');
};

/** Stands in until a real gateway is configured: every call fails with a message a person can act on. */
export const unconfiguredGateway: Gateway = {
  chat: async () => refuse(),
  // eslint-disable-next-line require-yield
  streamChat: async function* () {
    refuse();
  },
  embed: async () => refuse(),
  transcribe: async () => refuse(),
};
