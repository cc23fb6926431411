import type { ContactChange } from '../../credentials/contact-change.js';
import type { AccountAppDevices } from '../endpoints/app-devices-part.js';
import type { CredentialActivation } from '../../credentials/credential-activation.js';
import type { CredentialLimits } from '../../credentials/credential-limits.js';
import type { CredentialStore } from '../../credentials/credential-store.js';
import type { EmailCodes } from '../../credentials/email-codes.js';
import type { PasswordHasher } from '../../credentials/password-hasher.js';
import type { BreachedPasswordCheck } from '../../credentials/password-policy.js';
import type { Passkeys } from '../../credentials/passkeys.js';
import type { UsernameChange } from '../../credentials/username-change.js';
import type { LocalOutbox } from '../../mail/local-outbox.js';

/**
 * What "I tuoi accessi" uses of the credentials room (credentials-room.ts composes it): the citizen
 * activates, changes and withdraws levels 1/2 here, always behind a card sign-in.
 */
export interface AccountCredentials {
  store: Pick<CredentialStore, 'citizen' | 'citizenIndex' | 'usernameIndex' | 'usernameIndexOf' | 'saveIdentity' | 'setPassword' | 'passkeysOf' | 'removePasskey' | 'renamePasskey' | 'pendingEmail'>;
  hasher: Pick<PasswordHasher, 'hash'>;
  codes: Pick<EmailCodes, 'send'>;
  activation: Pick<CredentialActivation, 'begin' | 'confirm' | 'removeAll'>;
  contactChange: Pick<ContactChange, 'request' | 'confirm'>;
  usernameChange: Pick<UsernameChange, 'change'>;
  passkeys: Pick<Passkeys, 'registrationOptions' | 'register'>;
  limits: Pick<CredentialLimits, 'codeMail' | 'passkeyCeremony'>;
  /** The breached-password sources a password change looks the new password up in (activation's are its own). */
  breachedPasswords?: BreachedPasswordCheck;
  /** A card sign-in is the recovery: it clears the password lockout. */
  signIn?: { recoverAfterCardSignIn(fiscalCode: string): Promise<void> };
  /** The CieID app's certified devices (list, default, withdrawal). */
  appDevices?: AccountAppDevices;
  /** The demo's local outbox, when it is the mail transport (the outbox page: dev-outbox.ts). */
  outbox?: Pick<LocalOutbox, 'list'>;
}
