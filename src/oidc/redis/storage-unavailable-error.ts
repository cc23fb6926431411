import { CodedError } from '../../shared/coded-error.js';

/** Redis could not be reached (down, restarting, read-only failover, timed out). Retrying later may succeed. */
export class StorageUnavailableError extends CodedError<'storage_unavailable'> {
  constructor(cause: unknown) {
    // The cause's text goes into the message too: start-up failures are reported by message alone.
    // (Duck-typed: errors from node core fail `instanceof Error` inside jest's module realm.)
    const causeMessage = (cause as { message?: unknown } | undefined)?.message;
    const reason = typeof causeMessage === 'string' ? `: ${causeMessage}` : '';
    super('storage_unavailable', `the state storage (Redis) is unavailable${reason}`, {}, { cause });
  }
}
