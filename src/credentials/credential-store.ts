import type { Database, Sql } from '../storage/database/database.js';
import { CredentialsError } from './credentials-error.js';
import { indexOf, type CredentialsKeys } from './credentials-keys.js';
import type { FailureRecord } from './lockout-policy.js';
import { open, seal } from './sealing.js';
import type { Username } from './usernames.js';

/** Who the citizen is, as the level-3 sign-in that activated the credentials read it from the card. */
export interface CitizenIdentity {
  fiscalCode: string;
  claims: Record<string, unknown>;
}

export interface CitizenRecord {
  citizenIndex: string;
  identity: CitizenIdentity;
  email?: string;
  emailConfirmed: boolean;
}

export interface PasswordRecord {
  citizen: CitizenRecord;
  passwordHash: string;
}

export interface StoredPasskey {
  credentialId: string;
  citizenIndex: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  label: string;
  createdAt: Date;
  lastUsedAt?: Date;
}

/** A new contact address waiting for its code (contact-change.ts), with the id of the code mailed to it. */
export interface PendingEmail {
  email: string;
  codeId: string;
}

export type CodePurpose = 'confirm_contact' | 'second_factor';

/**
 * When an unconfirmed activation stops holding its username (email-codes.ts `staleClaims`): at
 * `now` no confirmation code of it is alive any more, and it was made before `madeBefore` (a code's
 * lifetime ago, so the code of an activation still being mailed is not missed).
 */
export interface StaleClaims {
  now: Date;
  madeBefore: Date;
}

export interface StoredCode {
  codeId: string;
  citizenIndex: string;
  purpose: CodePurpose;
  codeHash: string;
  attempts: number;
  expiresAt: Date;
}

/** SQLSTATE 23505 unique_violation. */
const UNIQUE_VIOLATION = '23505';

interface CitizenRow {
  citizen_index: string;
  identity_sealed: string;
  email_sealed: string | null;
  email_confirmed: boolean;
}

interface PasskeyRow {
  credential_id: string;
  citizen_index: string;
  public_key: Uint8Array;
  counter: string | number;
  transports: string[];
  device_type: string;
  backed_up: boolean;
  label: string;
  created_at: Date;
  last_used_at: Date | null;
}

/**
 * The credentials' durable records (credentials-migrations.ts), on PostgreSQL or PGlite. Fiscal codes
 * and usernames are looked up by their HMAC; identities and e-mails are sealed, bound to the citizen.
 */
export class CredentialStore {
  constructor(
    private readonly db: Pick<Database, 'query' | 'transaction'>,
    private readonly keys: CredentialsKeys,
  ) {}

  citizenIndex(fiscalCode: string): string {
    return indexOf(this.keys, 'citizen', fiscalCode);
  }

  usernameIndex(username: Username): string {
    return indexOf(this.keys, 'username', `${username.kind}:${username.value}`);
  }

  /** Creates the citizen's record, or refreshes the identity after a new level-3 sign-in. */
  async saveIdentity(identity: CitizenIdentity): Promise<string> {
    const citizenIndex = this.citizenIndex(identity.fiscalCode);
    const sealed = seal(this.keys, identity, `identity:${citizenIndex}`);
    await this.db.query(
      `INSERT INTO credential_citizens (citizen_index, identity_sealed) VALUES ($1, $2)
       ON CONFLICT (citizen_index) DO UPDATE SET identity_sealed = EXCLUDED.identity_sealed, updated_at = now()`,
      [citizenIndex, sealed],
    );
    return citizenIndex;
  }

  async citizen(fiscalCode: string): Promise<CitizenRecord | undefined> {
    return this.citizenByIndex(this.citizenIndex(fiscalCode));
  }

  async citizenByIndex(citizenIndex: string): Promise<CitizenRecord | undefined> {
    const [row] = await this.db.query<CitizenRow>('SELECT citizen_index, identity_sealed, email_sealed, email_confirmed FROM credential_citizens WHERE citizen_index = $1', [citizenIndex]);
    return row ? this.#citizenOf(row) : undefined;
  }

  /** A new contact address: unconfirmed until its code comes back; codes sent to the old one die. */
  async setEmail(citizenIndex: string, email: string): Promise<void> {
    await this.db.transaction(async (sql) => {
      const rows = await sql.query('UPDATE credential_citizens SET email_sealed = $2, email_confirmed = false, pending_email_sealed = NULL, updated_at = now() WHERE citizen_index = $1 RETURNING citizen_index', [citizenIndex, seal(this.keys, email, `email:${citizenIndex}`)]);
      if (rows.length === 0) throw new CredentialsError('no_identity', 'no credentials record for this citizen (a level-3 sign-in creates it)');
      await sql.query('DELETE FROM credential_email_codes WHERE citizen_index = $1', [citizenIndex]);
    });
  }

  async confirmEmail(citizenIndex: string): Promise<void> {
    await this.db.query('UPDATE credential_citizens SET email_confirmed = true, updated_at = now() WHERE citizen_index = $1 AND email_sealed IS NOT NULL', [citizenIndex]);
  }

  /**
   * Sets (or replaces) the password and the username it goes with; another citizen's username is
   * refused, unless only a stale unconfirmed activation holds it: that claim is released in the same
   * transaction (releaseStaleClaim). Of two citizens claiming it at once the unique index lets one win.
   */
  async setPassword(citizenIndex: string, username: Username, passwordHash: string, stale?: StaleClaims): Promise<void> {
    const usernameIndex = this.usernameIndex(username);
    await this.#uniqueUsername(() =>
      this.db.transaction(async (sql) => {
        if (stale) await releaseStaleClaim(sql, usernameIndex, citizenIndex, stale);
        const rows = await sql.query(
          // changed_at on the clock that judges claims stale (the codes'), so a fresh claim never looks stale.
          `INSERT INTO credential_passwords (citizen_index, username_index, username_kind, password_hash, changed_at)
           SELECT citizen_index, $2, $3, $4, COALESCE($5::timestamptz, now()) FROM credential_citizens WHERE citizen_index = $1
           ON CONFLICT (citizen_index) DO UPDATE SET username_index = EXCLUDED.username_index, username_kind = EXCLUDED.username_kind,
             password_hash = EXCLUDED.password_hash, changed_at = EXCLUDED.changed_at
           RETURNING citizen_index`,
          [citizenIndex, usernameIndex, username.kind, passwordHash, stale?.now ?? null],
        );
        if (rows.length === 0) throw new CredentialsError('no_identity', 'no credentials record for this citizen (a level-3 sign-in creates it)');
      }),
    );
  }

  /** Whether `username` is someone else's: a confirmed account's, or a still-fresh activation's (stale claims do not count). */
  async usernameHeld(username: Username, citizenIndex: string, stale: StaleClaims): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM credential_passwords p WHERE p.username_index = $1 AND p.citizen_index <> $2 AND NOT (${STALE_CLAIM})`,
      [this.usernameIndex(username), citizenIndex, stale.now, stale.madeBefore],
    );
    return rows.length > 0;
  }

  /** The password to check for a username, with its citizen; undefined when nobody has that username. */
  async passwordFor(username: Username): Promise<PasswordRecord | undefined> {
    const [row] = await this.db.query<CitizenRow & { password_hash: string }>(
      `SELECT c.citizen_index, c.identity_sealed, c.email_sealed, c.email_confirmed, p.password_hash
       FROM credential_passwords p JOIN credential_citizens c USING (citizen_index) WHERE p.username_index = $1`,
      [this.usernameIndex(username)],
    );
    return row ? { citizen: this.#citizenOf(row), passwordHash: row.password_hash } : undefined;
  }

  /** The same password under today's hashing cost (after a successful check), only if it was not changed meanwhile. */
  async replacePasswordHash(citizenIndex: string, oldHash: string, newHash: string): Promise<void> {
    await this.db.query('UPDATE credential_passwords SET password_hash = $3 WHERE citizen_index = $1 AND password_hash = $2', [citizenIndex, oldHash, newHash]);
  }

  /** The username the citizen's password goes with (for clearing its failures after a card sign-in). */
  async usernameIndexOf(citizenIndex: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ username_index: string }>('SELECT username_index FROM credential_passwords WHERE citizen_index = $1', [citizenIndex]);
    return row?.username_index;
  }

  async removePassword(citizenIndex: string): Promise<void> {
    await this.db.query('DELETE FROM credential_passwords WHERE citizen_index = $1', [citizenIndex]);
  }

  /** Everything of the citizen: identity, contact, password, passkeys, codes. */
  async removeCitizen(citizenIndex: string): Promise<void> {
    await this.db.query('DELETE FROM credential_citizens WHERE citizen_index = $1', [citizenIndex]);
  }

  // ── changes of active credentials (contact-change.ts, username-change.ts) ──

  /** A new contact address awaits the code `codeId` mailed to it; the confirmed address stays the contact meanwhile. */
  async setPendingEmail(citizenIndex: string, pending: PendingEmail): Promise<void> {
    await this.db.query('UPDATE credential_citizens SET pending_email_sealed = $2, updated_at = now() WHERE citizen_index = $1', [citizenIndex, seal(this.keys, pending, `pending-email:${citizenIndex}`)]);
  }

  async pendingEmail(citizenIndex: string): Promise<PendingEmail | undefined> {
    const [row] = await this.db.query<{ pending_email_sealed: string | null }>('SELECT pending_email_sealed FROM credential_citizens WHERE citizen_index = $1', [citizenIndex]);
    return row?.pending_email_sealed ? open<PendingEmail>(this.keys, row.pending_email_sealed, `pending-email:${citizenIndex}`) : undefined;
  }

  /**
   * The pending address becomes the confirmed contact, if it is still the one the code `codeId` was
   * mailed to. In one transaction: an e-mail username moves with it (another citizen's: `username_taken`,
   * nothing changes), the failure count of the new username is cleared (nobody could lock it in
   * advance), and second-factor codes mailed to the old address stop counting. Returns both
   * addresses; undefined when no change waits under that code.
   */
  async confirmPendingEmail(citizenIndex: string, codeId: string, stale?: StaleClaims): Promise<{ oldEmail: string; newEmail: string } | undefined> {
    return this.#uniqueUsername(() =>
      this.db.transaction(async (sql) => {
        const [row] = await sql.query<{ email_sealed: string | null; pending_email_sealed: string | null }>('SELECT email_sealed, pending_email_sealed FROM credential_citizens WHERE citizen_index = $1 FOR UPDATE', [citizenIndex]);
        const oldEmail = row?.email_sealed ? open<string>(this.keys, row.email_sealed, `email:${citizenIndex}`) : undefined;
        const pending = row?.pending_email_sealed ? open<PendingEmail>(this.keys, row.pending_email_sealed, `pending-email:${citizenIndex}`) : undefined;
        if (!oldEmail || !pending || pending.codeId !== codeId) return undefined;
        await sql.query('UPDATE credential_citizens SET email_sealed = $2, email_confirmed = true, pending_email_sealed = NULL, updated_at = now() WHERE citizen_index = $1', [citizenIndex, seal(this.keys, pending.email, `email:${citizenIndex}`)]);
        const newUsername = this.usernameIndex({ kind: 'email', value: pending.email });
        if (stale) await releaseStaleClaim(sql, newUsername, citizenIndex, stale);
        const moved = await sql.query(
          "UPDATE credential_passwords SET username_index = $3, changed_at = now() WHERE citizen_index = $1 AND username_kind = 'email' AND username_index = $2 RETURNING citizen_index",
          [citizenIndex, this.usernameIndex({ kind: 'email', value: oldEmail }), newUsername],
        );
        if (moved.length > 0) await sql.query('DELETE FROM credential_sign_in_failures WHERE username_index = $1', [newUsername]);
        await sql.query("DELETE FROM credential_email_codes WHERE citizen_index = $1 AND purpose = 'second_factor'", [citizenIndex]);
        return { oldEmail, newEmail: pending.email };
      }),
    );
  }

  /**
   * The citizen's password now goes with `username` (the database keeps usernames unique: another
   * citizen's is `username_taken`). The new username's failure count is cleared in the same
   * transaction, and the old one's is not carried over: neither lets anyone lock the new one.
   * False: the citizen has no password. An e-mail username must still be the confirmed contact, read
   * under the row's lock (confirmPendingEmail takes it too): a contact change confirmed since the
   * caller read the address is `username_contact_moved`, not a username left on the old address.
   */
  async setUsername(citizenIndex: string, username: Username, stale?: StaleClaims): Promise<boolean> {
    const usernameIndex = this.usernameIndex(username);
    return this.#uniqueUsername(() =>
      this.db.transaction(async (sql) => {
        if (username.kind === 'email') {
          const [row] = await sql.query<{ email_sealed: string | null; email_confirmed: boolean }>('SELECT email_sealed, email_confirmed FROM credential_citizens WHERE citizen_index = $1 FOR UPDATE', [citizenIndex]);
          const contact = row?.email_sealed && row.email_confirmed ? open<string>(this.keys, row.email_sealed, `email:${citizenIndex}`) : undefined;
          if (contact !== username.value) throw new CredentialsError('username_contact_moved', 'the e-mail address is no longer the confirmed contact');
        }
        if (stale) await releaseStaleClaim(sql, usernameIndex, citizenIndex, stale);
        const rows = await sql.query('UPDATE credential_passwords SET username_index = $2, username_kind = $3, changed_at = now() WHERE citizen_index = $1 RETURNING citizen_index', [citizenIndex, usernameIndex, username.kind]);
        if (rows.length === 0) return false;
        await sql.query('DELETE FROM credential_sign_in_failures WHERE username_index = $1', [usernameIndex]);
        return true;
      }),
    );
  }

  async #uniqueUsername<T>(statement: () => Promise<T>): Promise<T> {
    try {
      return await statement();
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new CredentialsError('username_taken', 'another citizen has this username', {}, { cause: error });
      throw error;
    }
  }

  // ── failed password attempts, per username ──

  async failures(usernameIndex: string): Promise<FailureRecord | undefined> {
    const [row] = await this.db.query<{ failures: number; last_failure_at: Date; locked_until: Date }>('SELECT failures, last_failure_at, locked_until FROM credential_sign_in_failures WHERE username_index = $1', [usernameIndex]);
    return row ? { failures: Number(row.failures), lastFailureAt: new Date(row.last_failure_at).getTime(), lockedUntil: new Date(row.locked_until).getTime() } : undefined;
  }

  /**
   * Counts one failure of the username in one statement (concurrent failures all count), starting
   * again from one when the last failure is older than `forgetBefore`; then moves the wait to
   * `waitUntil(failures)`, never earlier than a wait already set. Returns the record now stored.
   */
  async countFailure(usernameIndex: string, now: number, forgetBefore: number, waitUntil: (failures: number) => number): Promise<FailureRecord> {
    return this.db.transaction(async (sql) => {
      const [row] = await sql.query<{ failures: number; locked_until: Date }>(
        `INSERT INTO credential_sign_in_failures AS f (username_index, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, $2)
         ON CONFLICT (username_index) DO UPDATE SET
           failures = CASE WHEN f.last_failure_at < $3 THEN 1 ELSE f.failures + 1 END,
           locked_until = CASE WHEN f.last_failure_at < $3 THEN $2 ELSE f.locked_until END,
           last_failure_at = $2
         RETURNING failures, locked_until`,
        [usernameIndex, new Date(now), new Date(forgetBefore)],
      );
      const failures = Number(row!.failures);
      const lockedUntil = Math.max(new Date(row!.locked_until).getTime(), waitUntil(failures));
      await sql.query('UPDATE credential_sign_in_failures SET locked_until = $2 WHERE username_index = $1', [usernameIndex, new Date(lockedUntil)]);
      return { failures, lastFailureAt: now, lockedUntil };
    });
  }

  /** Stores a failure record as given (tests, imports). */
  async saveFailures(usernameIndex: string, record: FailureRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO credential_sign_in_failures (username_index, failures, last_failure_at, locked_until) VALUES ($1, $2, $3, $4)
       ON CONFLICT (username_index) DO UPDATE SET failures = EXCLUDED.failures, last_failure_at = EXCLUDED.last_failure_at, locked_until = EXCLUDED.locked_until`,
      [usernameIndex, record.failures, new Date(record.lastFailureAt), new Date(record.lockedUntil)],
    );
  }

  async clearFailures(usernameIndex: string): Promise<void> {
    await this.db.query('DELETE FROM credential_sign_in_failures WHERE username_index = $1', [usernameIndex]);
  }

  /** Forgets failure counts older than `before` (they no longer slow anybody down). Returns how many went. */
  async purgeFailures(before: Date): Promise<number> {
    return (await this.db.query('DELETE FROM credential_sign_in_failures WHERE last_failure_at < $1 RETURNING username_index', [before])).length;
  }

  // ── passkeys ──

  async addPasskey(passkey: Omit<StoredPasskey, 'createdAt' | 'lastUsedAt'>): Promise<void> {
    await this.db.query(
      `INSERT INTO credential_passkeys (credential_id, citizen_index, public_key, counter, transports, device_type, backed_up, label)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [passkey.credentialId, passkey.citizenIndex, Buffer.from(passkey.publicKey), passkey.counter, passkey.transports, passkey.deviceType, passkey.backedUp, passkey.label],
    );
  }

  async passkey(credentialId: string): Promise<StoredPasskey | undefined> {
    const [row] = await this.db.query<PasskeyRow>('SELECT * FROM credential_passkeys WHERE credential_id = $1', [credentialId]);
    return row ? passkeyOf(row) : undefined;
  }

  async passkeysOf(citizenIndex: string): Promise<StoredPasskey[]> {
    return (await this.db.query<PasskeyRow>('SELECT * FROM credential_passkeys WHERE citizen_index = $1 ORDER BY created_at', [citizenIndex])).map(passkeyOf);
  }

  /**
   * Records a use: the new signature counter, only if the stored one is still `expected` (two
   * concurrent uses of one assertion cannot both pass). False: someone used the passkey meanwhile.
   */
  async recordPasskeyUse(credentialId: string, expected: number, counter: number, at: Date): Promise<boolean> {
    const rows = await this.db.query('UPDATE credential_passkeys SET counter = $3, last_used_at = $4 WHERE credential_id = $1 AND counter = $2 RETURNING credential_id', [credentialId, expected, counter, at]);
    return rows.length === 1;
  }

  /** Renames one of the citizen's own passkeys (another citizen's id matches nothing: false). */
  async renamePasskey(citizenIndex: string, credentialId: string, label: string): Promise<boolean> {
    return (await this.db.query('UPDATE credential_passkeys SET label = $3 WHERE citizen_index = $1 AND credential_id = $2 RETURNING credential_id', [citizenIndex, credentialId, label])).length === 1;
  }

  async removePasskey(citizenIndex: string, credentialId: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM credential_passkeys WHERE citizen_index = $1 AND credential_id = $2 RETURNING credential_id', [citizenIndex, credentialId])).length === 1;
  }

  // ── e-mail one-time codes ──

  /** Stores a new code, replacing the citizen's earlier codes of the same purpose (only the latest mail counts). */
  async putCode(code: Omit<StoredCode, 'attempts'>): Promise<void> {
    await this.db.transaction(async (sql) => {
      await sql.query('DELETE FROM credential_email_codes WHERE citizen_index = $1 AND purpose = $2', [code.citizenIndex, code.purpose]);
      await sql.query('INSERT INTO credential_email_codes (code_id, citizen_index, purpose, code_hash, expires_at) VALUES ($1, $2, $3, $4, $5)', [code.codeId, code.citizenIndex, code.purpose, code.codeHash, code.expiresAt]);
    });
  }

  /** Counts one attempt on the code and returns it as it was before (attempts before this one). */
  async attemptCode(codeId: string, citizenIndex: string, purpose: CodePurpose): Promise<StoredCode | undefined> {
    const [row] = await this.db.query<{ code_id: string; citizen_index: string; purpose: CodePurpose; code_hash: string; attempts: number; expires_at: Date }>(
      `UPDATE credential_email_codes SET attempts = attempts + 1 WHERE code_id = $1 AND citizen_index = $2 AND purpose = $3
       RETURNING code_id, citizen_index, purpose, code_hash, attempts - 1 AS attempts, expires_at`,
      [codeId, citizenIndex, purpose],
    );
    return row ? { codeId: row.code_id, citizenIndex: row.citizen_index, purpose: row.purpose, codeHash: row.code_hash, attempts: Number(row.attempts), expiresAt: new Date(row.expires_at) } : undefined;
  }

  async deleteCode(codeId: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM credential_email_codes WHERE code_id = $1 RETURNING code_id', [codeId])).length === 1;
  }

  #citizenOf(row: CitizenRow): CitizenRecord {
    const identity = open<CitizenIdentity>(this.keys, row.identity_sealed, `identity:${row.citizen_index}`);
    const email = row.email_sealed ? open<string>(this.keys, row.email_sealed, `email:${row.citizen_index}`) : undefined;
    return { citizenIndex: row.citizen_index, identity, emailConfirmed: row.email_confirmed, ...(email ? { email } : {}) };
  }
}

/**
 * A password row `p` that is a stale unconfirmed activation's ($3 now, $4 made before): its contact
 * never confirmed, changed before a code's lifetime ago, and no confirmation code of it alive. A
 * confirmed account never matches.
 */
const STALE_CLAIM = `p.changed_at < $4
  AND EXISTS (SELECT 1 FROM credential_citizens c WHERE c.citizen_index = p.citizen_index AND NOT c.email_confirmed)
  AND NOT EXISTS (SELECT 1 FROM credential_email_codes k WHERE k.citizen_index = p.citizen_index AND k.purpose = 'confirm_contact' AND k.expires_at > $3)`;

/**
 * Squatting: anyone with a card could start an activation under another person's address and never
 * confirm it, holding that username for good. Inside the claimant's transaction, a stale unconfirmed
 * claim on the username is released: its password row goes (the row lock makes a concurrent claimant
 * wait, then find nothing to release and meet the unique index), and its leftover codes with it. The
 * citizen's record stays (no password: no username, nothing that signs in); its unconfirmed address is
 * in no index. The failure count of the username starts afresh for the new holder.
 */
async function releaseStaleClaim(sql: Sql, usernameIndex: string, claimant: string, stale: StaleClaims): Promise<void> {
  const released = await sql.query<{ citizen_index: string }>(
    `DELETE FROM credential_passwords p WHERE p.username_index = $1 AND p.citizen_index <> $2 AND ${STALE_CLAIM} RETURNING p.citizen_index`,
    [usernameIndex, claimant, stale.now, stale.madeBefore],
  );
  for (const { citizen_index } of released) {
    await sql.query("DELETE FROM credential_email_codes WHERE citizen_index = $1 AND purpose = 'confirm_contact'", [citizen_index]);
    await sql.query('DELETE FROM credential_sign_in_failures WHERE username_index = $1', [usernameIndex]);
  }
}

function passkeyOf(row: PasskeyRow): StoredPasskey {
  return {
    credentialId: row.credential_id,
    citizenIndex: row.citizen_index,
    publicKey: new Uint8Array(row.public_key),
    counter: Number(row.counter),
    transports: row.transports,
    deviceType: row.device_type,
    backedUp: row.backed_up,
    label: row.label,
    createdAt: new Date(row.created_at),
    ...(row.last_used_at ? { lastUsedAt: new Date(row.last_used_at) } : {}),
  };
}
