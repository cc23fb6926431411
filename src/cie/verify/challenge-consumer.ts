/** A challenge issued by the provider (cie/challenge-store.ts issues and stores these). */
export interface ChallengeRecord {
  /** base64url (no padding) of 32 random bytes. */
  challenge: string;
  boundTo: string;
  origin: string;
  issuedAt: number;
  /** epoch ms */
  expiresAt: number;
}

export interface ChallengeConsumer {
  /** Atomic take: a record is returned at most once, so a replay finds nothing. */
  consume(challengeB64url: string): Promise<ChallengeRecord | undefined>;
}
