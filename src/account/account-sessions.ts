import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { StateStore } from '../storage/state-store.js';

/** A citizen who proved who they are with the card, on the account page. */
export interface AccountSession {
  id: string;
  accountId: string;
  fiscalCode: string;
  /** What the sign-in proved (a card: SpidL3) and read, and when: the card proof credentials changes need (card-proof-of-session.ts). */
  acr: string;
  claims: Record<string, unknown>;
  signedInAt: number;
  /** Sent back with every form of the page; a forged cross-site form cannot know it. */
  csrfToken: string;
}

/** At most ten minutes from the card sign-in, never extended: a forgotten page closes itself. */
export const ACCOUNT_SESSION_TTL_SECONDS = 600;

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Server-side sessions of the account page in the StateStore: signing out ends them everywhere. */
export class AccountSessions {
  constructor(private readonly store: StateStore) {}

  async start(accountId: string, citizen: { fiscalCode: string; acr: string; claims: Record<string, unknown> }, now = Date.now()): Promise<AccountSession> {
    const session = { id: randomToken(), accountId, fiscalCode: citizen.fiscalCode, acr: citizen.acr, claims: citizen.claims, signedInAt: now, csrfToken: randomToken() };
    await this.store.putIfAbsent(keyOf(session.id), session, ACCOUNT_SESSION_TTL_SECONDS);
    return session;
  }

  async find(id: string): Promise<AccountSession | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    return this.store.get<AccountSession>(keyOf(id));
  }

  async end(id: string): Promise<void> {
    await Promise.all([this.store.delete(keyOf(id)), this.store.delete(pendingCodeKey(id))]);
  }

  /** The id of the contact-confirmation code this session had mailed (the form takes back only the digits). */
  async rememberPendingCode(session: AccountSession, codeId: string): Promise<void> {
    await this.store.put(pendingCodeKey(session.id), { codeId }, ACCOUNT_SESSION_TTL_SECONDS);
  }

  async pendingCode(session: AccountSession): Promise<string | undefined> {
    return (await this.store.get<{ codeId: string }>(pendingCodeKey(session.id)))?.codeId;
  }

  async forgetPendingCode(session: AccountSession): Promise<void> {
    await this.store.delete(pendingCodeKey(session.id));
  }
}

export function csrfTokenMatches(session: AccountSession, presented: string | null): boolean {
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(presented ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function keyOf(id: string): string {
  return `account-session:${id}`;
}

function pendingCodeKey(id: string): string {
  return `account-contact-code:${id}`;
}
