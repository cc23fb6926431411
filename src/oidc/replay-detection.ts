import { hash } from 'node:crypto';
import type { Provider } from 'oidc-provider';
import { ReplayDetectedError } from '../storage/adapters/model-rules.js';

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
 *
 * `maxTtlSeconds` caps every entry's lifetime, whatever `exp` the caller passes. It must be
 * `replayTtlCap()` of the configured limits (jwt-time-limits.ts): those rules already refuse anything
 * that would need longer, so the cap never shortens a legitimate entry; it stops any future caller
 * from letting the input choose the storage time. An `exp` that is not a finite number is kept for
 * the whole cap rather than for 1 second (NaN) or forever.
 */
export function applySingleInsertReplayDetection(provider: Provider, maxTtlSeconds: number): void {
  const ReplayDetection = (provider as unknown as { ReplayDetection: ReplayDetectionClass }).ReplayDetection;
  ReplayDetection.unique = async function unique(this: ReplayDetectionClass, iss, jti, exp) {
    const id = hash('sha256', `${iss}${jti}`, 'base64url');
    const ttl = Number.isFinite(exp) ? Math.min(Math.max(exp - Math.floor(Date.now() / 1000), 1), maxTtlSeconds) : maxTtlSeconds;
    try {
      await this.instantiate({ jti: id, iss }).save(ttl);
      return true;
    } catch (error) {
      if (error instanceof ReplayDetectedError) return false;
      throw error;
    }
  };
}
