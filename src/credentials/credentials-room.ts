import type { Mailer } from '../mail/mailer.js';
import { LocalOutbox } from '../mail/local-outbox.js';
import { smtpMailer } from '../mail/smtp-mailer.js';
import type { Database } from '../storage/database/database.js';
import type { StateStore } from '../storage/state-store.js';
import { ContactChange } from './contact-change.js';
import { openBreachedPasswords, type BreachedPasswords, type BreachedPasswordsSettings } from './breached-passwords.js';
import { AppDevices } from './app-devices.js';
import { CredentialActivation } from './credential-activation.js';
import { CredentialLimits, type CredentialLimitSettings } from './credential-limits.js';
import { CredentialStore } from './credential-store.js';
import { credentialsDatabase, type OutageObserver } from './credentials-database.js';
import { loadCredentialsKeys } from './credentials-keys.js';
import { DEFAULT_EMAIL_CODE_POLICY, EmailCodes } from './email-codes.js';
import { Passkeys, type PasskeySettings } from './passkeys.js';
import { PasswordHasher, type ScryptCost } from './password-hasher.js';
import { PasswordSignIn } from './password-sign-in.js';
import { UsernameChange } from './username-change.js';

/** The settings of src/config/ (CredentialsConfig) the room reads. */
export interface CredentialsSettings {
  smtpUrl: string;
  mailFrom: string;
  scrypt: ScryptCost;
  emailSecondFactor: boolean;
  limits: CredentialLimitSettings;
  passkeys: PasskeySettings;
  /** The breached-password sources (BREACHED_PASSWORDS_FILE, BREACHED_PASSWORDS_API); absent: none. */
  breachedPasswords?: BreachedPasswordsSettings;
}

export interface CredentialsRoomOptions {
  /** The provider's one shared database (registry-wiring.ts openProviderDatabase), asked for at the first statement. */
  database: () => Promise<Database>;
  keysDir: string;
  generateKeys: boolean;
  settings: CredentialsSettings;
  /** Short-lived state: passkey ceremonies, the limits' counters. */
  store: StateStore;
  /** Mail transport; default SMTP_URL's server, or the local outbox when it is empty. */
  mailer?: Mailer;
  /** The storage outage watch's `observe`: a database outage flags the request for the 503. */
  observe?: OutageObserver;
}

/** Everything of levels 1 and 2 the sign-in methods and the account pages use, built once. */
export interface CredentialsRoom {
  store: CredentialStore;
  hasher: PasswordHasher;
  signIn: PasswordSignIn;
  codes: EmailCodes;
  activation: CredentialActivation;
  /** Changes of active credentials on the account page: the contact address, the username. */
  contactChange: ContactChange;
  usernameChange: UsernameChange;
  passkeys: Passkeys;
  /** The CieID app's certified devices (level-2 factor). */
  appDevices: AppDevices;
  limits: CredentialLimits;
  /** Looks a password being chosen up in the operator's lists of breached passwords (activation, change). */
  breachedPasswords: BreachedPasswords;
  /** The local outbox when no SMTP server is configured (the demo's outbox page shows it). */
  outbox?: LocalOutbox;
  /** Resolves once the database is open and migrated (it is also awaited by every statement). */
  ready(): Promise<void>;
}

/**
 * Keys read (or generated) now: a missing key with GENERATE_KEYS=false stops the start, as the registry's do;
 * so does an unusable breached-password file or API URL.
 */
export async function createCredentialsRoom(options: CredentialsRoomOptions): Promise<CredentialsRoom> {
  const keys = await loadCredentialsKeys(options.keysDir, options.generateKeys);
  const breachedPasswords = await openBreachedPasswords(options.settings.breachedPasswords);
  const db = credentialsDatabase(options.database, options.observe);
  const store = new CredentialStore(db, keys);
  const hasher = new PasswordHasher(options.settings.scrypt);
  const outbox = options.mailer || options.settings.smtpUrl ? undefined : new LocalOutbox();
  const mailer = options.mailer ?? outbox ?? smtpMailer({ url: options.settings.smtpUrl, from: options.settings.mailFrom });
  const codes = new EmailCodes(store, keys, mailer, { ...DEFAULT_EMAIL_CODE_POLICY, secondFactorEnabled: options.settings.emailSecondFactor });
  return {
    store,
    hasher,
    signIn: new PasswordSignIn(store, hasher, undefined, undefined, options.store),
    codes,
    activation: new CredentialActivation(store, hasher, codes, breachedPasswords),
    contactChange: new ContactChange(store, codes, mailer),
    usernameChange: new UsernameChange(store, codes),
    passkeys: new Passkeys(store, options.store, options.settings.passkeys),
    appDevices: new AppDevices(db, keys),
    limits: new CredentialLimits(options.store, options.settings.limits),
    breachedPasswords,
    ...(outbox ? { outbox } : {}),
    ready: async () => {
      await db.ready();
    },
  };
}
