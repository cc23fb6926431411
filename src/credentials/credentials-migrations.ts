import type { MigrationSet } from '../storage/database/migration-set.js';

/**
 * The credentials' schema (docs/levels.md). Citizens are found by `citizen_index` (HMAC-SHA-256 of
 * the fiscal code under the credentials' index key) and usernames by `username_index` (the same HMAC
 * of the normalised username): neither is in the clear. The identity (fiscal code, the card's
 * claims) and the e-mail contact are sealed (AES-256-GCM); passwords are scrypt hashes; one-time
 * codes are HMACs. Failure counts are per username, not per account, so that a username nobody has
 * is throttled exactly like one that exists.
 */
export const credentialsMigrations: MigrationSet = {
  owner: 'credentials',
  // The operator's migrate command (src/credentials/cli.ts), run as DATABASE_OWNER_URL with least-privilege roles.
  command: 'cie-credentials migrate',
  steps: [
    {
      version: 1,
      name: 'citizens, passwords, passkeys, e-mail codes, sign-in failures',
      sql: `
CREATE TABLE credential_citizens (
  citizen_index text PRIMARY KEY,
  identity_sealed text NOT NULL,
  email_sealed text,
  email_confirmed boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE credential_passwords (
  citizen_index text PRIMARY KEY REFERENCES credential_citizens (citizen_index) ON DELETE CASCADE,
  username_index text NOT NULL UNIQUE,
  username_kind text NOT NULL CHECK (username_kind IN ('fiscal_code', 'email')),
  password_hash text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE credential_passkeys (
  credential_id text PRIMARY KEY,
  citizen_index text NOT NULL REFERENCES credential_citizens (citizen_index) ON DELETE CASCADE,
  public_key bytea NOT NULL,
  counter bigint NOT NULL DEFAULT 0,
  transports text[] NOT NULL DEFAULT '{}',
  device_type text NOT NULL,
  backed_up boolean NOT NULL,
  label text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX credential_passkeys_citizen ON credential_passkeys (citizen_index);
CREATE TABLE credential_email_codes (
  code_id text PRIMARY KEY,
  citizen_index text NOT NULL REFERENCES credential_citizens (citizen_index) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('confirm_contact', 'second_factor')),
  code_hash text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credential_email_codes_citizen ON credential_email_codes (citizen_index, purpose);
CREATE TABLE credential_sign_in_failures (
  username_index text PRIMARY KEY,
  failures integer NOT NULL,
  last_failure_at timestamptz NOT NULL,
  locked_until timestamptz NOT NULL
);
CREATE INDEX credential_sign_in_failures_age ON credential_sign_in_failures (last_failure_at);
`,
    },
    {
      version: 2,
      // A new contact address waits here, sealed with the id of the code mailed to it, until that code comes back:
      // the confirmed address stays the contact meanwhile (a typo locks nobody out).
      name: 'pending contact address of a change',
      sql: `
ALTER TABLE credential_citizens ADD COLUMN pending_email_sealed text;
`,
    },
    {
      version: 3,
      // The CieID app as a level-2 factor: devices certified by a card read in the app (docs/levels.md). Not tied to
      // credential_citizens: a citizen may certify the app without a password. A withdrawal keeps the row (withdrawn_at),
      // so an old signed request names a known, refused device.
      name: 'certified CieID app devices',
      sql: `
CREATE TABLE credential_app_devices (
  device_id text PRIMARY KEY,
  citizen_index text NOT NULL,
  public_jwk text NOT NULL,
  name text NOT NULL,
  identity_sealed text NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  withdrawn_at timestamptz
);
CREATE INDEX credential_app_devices_citizen ON credential_app_devices (citizen_index) WHERE withdrawn_at IS NULL;
`,
    },
  ],
  grants: [
    { table: 'credential_citizens', privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] },
    { table: 'credential_passwords', privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] },
    { table: 'credential_passkeys', privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] },
    { table: 'credential_email_codes', privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] },
    { table: 'credential_sign_in_failures', privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] },
    { table: 'credential_app_devices', privileges: ['SELECT', 'INSERT', 'UPDATE'] },
  ],
};
