import type { PasswordRule } from '../../credentials/password-policy.js';
import type { Language } from '../../shared/language.js';
import type { AccountSession, AccountSessions } from '../account-sessions.js';
import { displayDate } from '../display-date.js';
import type { AccountCredentials } from './account-credentials.js';
import { cardProofOf } from './card-proof-of-session.js';
import { credentialsMessagesFor } from './credentials-messages.js';
import { currentUsername } from './current-username.js';

/** What the citizen typed in a refused form (never the password), and which rules the password broke. */
export interface CredentialsForm {
  usernameKind?: string;
  email?: string;
  brokenRules?: PasswordRule[];
  passwordsDiffer?: boolean;
  /** The passkey a refused rename named, and the name typed. */
  credentialId?: string;
  label?: string;
  /** Which form it was, so the page shows the errors next to it. */
  form: 'activate' | 'password' | 'contact' | 'username' | 'rename';
}

/**
 * The credentials part of the signed-in page: not active (the activation form), waiting for the
 * contact's code, or active (username, contact, change and withdrawal); the passkeys with their dates.
 */
export async function credentialsPart(credentials: AccountCredentials, sessions: AccountSessions, session: AccountSession, lang: Language, form?: CredentialsForm) {
  const c = credentialsMessagesFor(lang);
  const citizen = await credentials.store.citizen(session.fiscalCode);
  const username = citizen ? await currentUsername(credentials, citizen) : undefined;
  const passkeys = citizen ? await credentials.store.passkeysOf(citizen.citizenIndex) : [];
  const state = !username ? 'none' : citizen!.emailConfirmed ? 'active' : 'pending';
  // A contact change waiting for the code this session mailed (another session's, or an old one, is not shown).
  const sessionCode = state === 'active' ? await sessions.pendingCode(session) : undefined;
  const pending = sessionCode ? await credentials.store.pendingEmail(citizen!.citizenIndex) : undefined;
  return {
    c,
    state,
    // The forms are shown only when a change would be accepted (a fresh card sign-in).
    canChange: cardProofOf(session) !== undefined,
    username: username ? (username.kind === 'email' ? username.value : session.fiscalCode) : undefined,
    email: citizen?.email,
    emailConfirmed: citizen?.emailConfirmed ?? false,
    pendingCode: state === 'pending' && (await sessions.pendingCode(session)) !== undefined,
    usernameKind: username?.kind,
    pendingContact: pending && pending.codeId === sessionCode ? pending.email : undefined,
    passkeys: passkeys.map((passkey) => ({
      id: passkey.credentialId,
      label: passkey.label || c.passkeyUnnamed,
      name: passkey.label,
      created: displayDate(passkey.createdAt.getTime() / 1000, lang),
      lastUsed: passkey.lastUsedAt ? displayDate(passkey.lastUsedAt.getTime() / 1000, lang) : undefined,
    })),
    form: form ?? { form: 'activate' as const },
    rules: [
      ...Object.entries(c.rules).filter(([rule]) => rule !== 'too_long').map(([rule, text]) => ({ rule, text })),
      // Said in advance only where a list of breached passwords is consulted.
      ...(credentials.breachedPasswords && credentials.breachedPasswords.enabled !== false ? [{ rule: 'breached', text: c.breachedRule }] : []),
    ],
  };
}
