import { hash } from 'node:crypto';
import type { Provider } from 'oidc-provider';
import { ReplayDetectedError } from './adapters/model-rules.js';

interface ReplayDetectionClass {
  unique(iss: string, jti: string, exp: number): Promise<boolean>;
  instantiate(payload: { jti: string; iss: string }): { save(ttl: number): Promise<unknown> };
}

/**
 * oidc-provider's `ReplayDetection.unique()` looks the id up and then saves it: two store round trips
 * for every client assertion and request object. Both adapters already insert ReplayDetection entries
 * only if absent (a losing insert throws ReplayDetectedError, which also settles concurrent replays),
 * so `unique()` becomes that one insert: true if the id was new, false if it was seen. The id is the
 * library's own (SHA-256 of iss ‖ jti), so entries written either way are the same.
 */
export function applySingleInsertReplayDetection(provider: Provider): void {
  const ReplayDetection = (provider as unknown as { ReplayDetection: ReplayDetectionClass }).ReplayDetection;
  ReplayDetection.unique = async function unique(this: ReplayDetectionClass, iss, jti, exp) {
    const id = hash('sha256', `${iss}${jti}`, 'base64url');
    try {
      await this.instantiate({ jti: id, iss }).save(exp - Math.floor(Date.now() / 1000));
      return true;
    } catch (error) {
      if (error instanceof ReplayDetectedError) return false;
      throw error;
    }
  };
}
