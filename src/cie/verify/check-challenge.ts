import { AssertionError } from './assertion-error.js';
import type { ChallengeConsumer, ChallengeRecord } from './challenge-consumer.js';

/**
 * Takes the challenge out of the store before anything else is checked: any attempt burns it,
 * so a rejected assertion can be neither retried nor used to probe with the same challenge.
 */
export async function takeChallenge(challenges: ChallengeConsumer, challenge: string): Promise<ChallengeRecord> {
  const record = await challenges.consume(challenge);
  if (!record) throw new AssertionError('challenge_not_found', 'challenge unknown or already used');
  return record;
}

export function checkChallenge(record: ChallengeRecord, now: Date, expectedBinding: string | undefined): void {
  if (now.getTime() >= record.expiresAt) throw new AssertionError('challenge_expired', 'challenge expired');
  if (expectedBinding !== undefined && expectedBinding !== record.boundTo) {
    throw new AssertionError('challenge_interaction_mismatch', 'challenge belongs to another interaction');
  }
}
