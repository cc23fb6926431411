import { randomBytes } from 'node:crypto';
import type { KeyValueStore } from '../storage/key-value-store.js';
import type { ChallengeConsumer, ChallengeRecord } from './verify/challenge-consumer.js';

const CHALLENGE_BYTES = 32;

function isChallengeText(challenge: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(challenge);
}

/**
 * Issues card challenges and consumes them exactly once. The record lives in the shared
 * StateStore so any provider instance can verify the answer; `take` is atomic there.
 * `boundTo` names who waits for the answer (an OIDC interaction uid, or an account-page sign-in):
 * cie/ only carries it, in the record's `boundTo`, back to the caller.
 */
export class ChallengeStore implements ChallengeConsumer {
  constructor(
    private readonly store: KeyValueStore,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  async issue(boundTo: string, origin: string): Promise<ChallengeRecord> {
    const issuedAt = this.now();
    const record: ChallengeRecord = {
      challenge: randomBytes(CHALLENGE_BYTES).toString('base64url'),
      boundTo,
      origin,
      issuedAt,
      expiresAt: issuedAt + this.ttlSeconds * 1000,
    };
    await this.store.putIfAbsent(`challenge:${record.challenge}`, record, this.ttlSeconds);
    return record;
  }

  /** Atomic take: of two concurrent consumers of one challenge, only one gets the record. */
  async consume(challenge: string): Promise<ChallengeRecord | undefined> {
    if (!isChallengeText(challenge)) return undefined;
    return this.store.take<ChallengeRecord>(`challenge:${challenge}`);
  }

  /**
   * Who waits for a live challenge, leaving it in place. A cancel from the bridge arrives without
   * the interaction's cookie, so knowing the challenge must not be enough to end it: the challenge
   * is consumed only by a verified assertion or by the waiting browser's own completion step.
   */
  async bindingOf(challenge: string): Promise<string | undefined> {
    if (!isChallengeText(challenge)) return undefined;
    return (await this.store.get<ChallengeRecord>(`challenge:${challenge}`))?.boundTo;
  }
}
