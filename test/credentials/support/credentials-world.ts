import { CredentialActivation } from '../../../src/credentials/credential-activation.js';
import { CredentialStore } from '../../../src/credentials/credential-store.js';
import { newCredentialsKeys } from '../../../src/credentials/credentials-keys.js';
import { DEFAULT_EMAIL_CODE_POLICY, EmailCodes, type EmailCodePolicy } from '../../../src/credentials/email-codes.js';
import { PasswordHasher, type ScryptCost } from '../../../src/credentials/password-hasher.js';
import { PasswordSignIn } from '../../../src/credentials/password-sign-in.js';
import { LocalOutbox } from '../../../src/mail/local-outbox.js';
import { ACR } from '../../../src/oidc/acr.js';
import type { CredentialsBackend } from './credentials-backends.js';
import { CITIZEN, TEST_SCRYPT_COST } from './credentials-backends.js';

/** Everything of the credentials room over one database, with a clock the test moves. */
export function credentialsWorld(backend: CredentialsBackend, options: { cost?: ScryptCost; codes?: Partial<EmailCodePolicy> } = {}) {
  const clock = { now: Date.now() };
  const now = () => clock.now;
  const keys = newCredentialsKeys();
  const store = new CredentialStore(backend.db, keys);
  const hasher = new PasswordHasher(options.cost ?? TEST_SCRYPT_COST);
  const outbox = new LocalOutbox(50, () => new Date(clock.now));
  const codes = new EmailCodes(store, keys, outbox, { ...DEFAULT_EMAIL_CODE_POLICY, ...options.codes }, now);
  const activation = new CredentialActivation(store, hasher, codes);
  const signIn = new PasswordSignIn(store, hasher, undefined, now);
  const cardProof = { fiscalCode: CITIZEN.fiscalCode, acr: ACR.L3, claims: CITIZEN.claims };
  /** The code of the newest mail to `to`. */
  const lastCode = (to: string) => /\b(\d{6})\b/.exec(outbox.list(to)[0]?.text ?? '')?.[1] ?? '';
  /** A citizen with active credentials (password `Girasole2024x`, username = e-mail). */
  const activated = async (email = 'mario.rossi@example.it') => {
    const codeId = await activation.begin(cardProof, { usernameKind: 'email', email, password: 'Girasole2024x' }, 'it');
    await activation.confirm(cardProof, codeId, lastCode(email));
  };
  return { clock, keys, store, hasher, outbox, codes, activation, signIn, cardProof, lastCode, activated };
}
