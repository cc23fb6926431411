import { CodedError } from '../shared/coded-error.js';

/**
 * `registry_unavailable`: the database cannot take or give records now (down, restarting, read-only,
 * timed out); retrying later may succeed, and a login waits for it (docs/registry.md, durability rule).
 * `registry_keys`: the registry's key file or REGISTRY_KEY is missing or unusable.
 * `registry_sealed`: a record's personal data cannot be decrypted (unknown key id, altered ciphertext).
 */
export type RegistryErrorCode = 'registry_unavailable' | 'registry_keys' | 'registry_sealed' | 'registry_usage';

export class RegistryError extends CodedError<RegistryErrorCode> {}

export class RegistryUnavailableError extends RegistryError {
  constructor(cause: unknown) {
    const causeMessage = (cause as { message?: unknown } | undefined)?.message;
    super('registry_unavailable', `the access registry's database is unavailable${typeof causeMessage === 'string' ? `: ${causeMessage}` : ''}`, {}, { cause });
  }
}
