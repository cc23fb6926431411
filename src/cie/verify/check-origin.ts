import { AssertionError } from './assertion-error.js';
import type { ChallengeRecord } from './challenge-consumer.js';

/** Exact string match: the origin is already in its ASCII serialisation, no normalising. */
export function checkOrigin(configuredOrigin: string, assertionOrigin: string, record: ChallengeRecord): void {
  if (assertionOrigin !== configuredOrigin || record.origin !== configuredOrigin) {
    throw new AssertionError('origin_mismatch', 'assertion origin differs from the configured origin');
  }
}
