import { CodedError } from '../../shared/coded-error.js';

/** Redis could not be reached (down, restarting, read-only failover, timed out). Retrying later may succeed. */
export class StorageUnavailableError extends CodedError<'storage_unavailable'> {
  constructor(cause: unknown) {
    super('storage_unavailable', 'the state storage (Redis) is unavailable', {}, { cause });
  }
}
