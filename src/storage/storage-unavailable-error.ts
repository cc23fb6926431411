import { CodedError } from '../shared/coded-error.js';

/**
 * Redis could not be reached (down, restarting, read-only failover, timed out). Retrying later may succeed.
 * `storage` names what is down in the message: the access registry's database gives its own name
 * (registry-wiring.ts), so an operator reading the log looks at the right server.
 */
export class StorageUnavailableError extends CodedError<'storage_unavailable'> {
  constructor(cause: unknown, storage = 'the state storage (Redis)') {
    // The cause's text goes into the message too: start-up failures are reported by message alone.
    // (Duck-typed: errors from node core fail `instanceof Error` inside jest's module realm.)
    const causeMessage = (cause as { message?: unknown } | undefined)?.message;
    const reason = typeof causeMessage === 'string' ? `: ${causeMessage}` : '';
    super('storage_unavailable', `${storage} is unavailable${reason}`, {}, { cause });
  }
}
