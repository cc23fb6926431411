import { randomBytes } from 'node:crypto';
import type { Database, Sql } from '../storage/database/database.js';
import type { DevicePublicJwk } from './app-device-key.js';
import { AppFactorError } from './app-factor-error.js';
import type { CitizenIdentity } from './credential-store.js';
import { indexOf, type CredentialsKeys } from './credentials-keys.js';
import { open, seal } from './sealing.js';

/** At most this many live certified devices per citizen. */
export const MAX_APP_DEVICES = 5;

/** A certified device (a CieID app whose key a level-3 card read bound to the citizen). */
export interface AppDevice {
  deviceId: string;
  citizenIndex: string;
  publicJwk: DevicePublicJwk;
  name: string;
  isDefault: boolean;
  createdAt: Date;
  lastUsedAt?: Date;
  withdrawnAt?: Date;
}

interface DeviceRow {
  device_id: string;
  citizen_index: string;
  public_jwk: string;
  name: string;
  identity_sealed: string;
  is_default: boolean;
  created_at: Date;
  last_used_at: Date | null;
  withdrawn_at: Date | null;
}

const COLUMNS = 'device_id, citizen_index, public_jwk, name, identity_sealed, is_default, created_at, last_used_at, withdrawn_at';
const identityField = (deviceId: string) => `app-device-identity:${deviceId}`;

/**
 * The certified devices (credentials-migrations.ts, `credential_app_devices`). A withdrawal is a soft
 * delete: a request signed by a withdrawn device's key still names a known row, refused as
 * `app_device_unknown`, never mis-attributed to a new device. The identity the card read at
 * certification is sealed, bound to the device.
 */
export class AppDevices {
  constructor(
    private readonly db: Pick<Database, 'query' | 'transaction'>,
    private readonly keys: CredentialsKeys,
  ) {}

  citizenIndex(fiscalCode: string): string {
    return indexOf(this.keys, 'citizen', fiscalCode);
  }

  /**
   * Certifies a device for the citizen the card named. The first live device is the default. The
   * count and the insert run under the per-citizen lock, so two racing enrolments cannot pass 5.
   */
  async add(input: { identity: CitizenIdentity; publicJwk: DevicePublicJwk; name: string }): Promise<AppDevice> {
    const citizenIndex = this.citizenIndex(input.identity.fiscalCode);
    const deviceId = randomBytes(24).toString('base64url');
    const sealed = seal(this.keys, input.identity, identityField(deviceId));
    const row = await this.db.transaction(async (sql) => {
      await lockDeviceSet(sql, citizenIndex);
      const [count] = await sql.query<{ live: string | number }>('SELECT count(*) AS live FROM credential_app_devices WHERE citizen_index = $1 AND withdrawn_at IS NULL', [citizenIndex]);
      const live = Number(count?.live ?? 0);
      if (live >= MAX_APP_DEVICES) throw new AppFactorError('too_many_app_devices', `the citizen has ${live} certified devices`);
      const [inserted] = await sql.query<DeviceRow>(
        `INSERT INTO credential_app_devices (device_id, citizen_index, public_jwk, name, identity_sealed, is_default) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [deviceId, citizenIndex, JSON.stringify(input.publicJwk), input.name, sealed, live === 0],
      );
      return inserted!;
    });
    return deviceOf(row);
  }

  /** The device, when it is live (not withdrawn). */
  async live(deviceId: string): Promise<AppDevice | undefined> {
    const [row] = await this.db.query<DeviceRow>(`SELECT ${COLUMNS} FROM credential_app_devices WHERE device_id = $1 AND withdrawn_at IS NULL`, [deviceId]);
    return row ? deviceOf(row) : undefined;
  }

  /** Who the device's card named at certification. */
  async identityOf(deviceId: string): Promise<CitizenIdentity | undefined> {
    const [row] = await this.db.query<DeviceRow>('SELECT identity_sealed FROM credential_app_devices WHERE device_id = $1 AND withdrawn_at IS NULL', [deviceId]);
    return row ? open<CitizenIdentity>(this.keys, row.identity_sealed, identityField(deviceId)) : undefined;
  }

  /** The citizen's live devices, oldest first. */
  async devicesOf(citizenIndex: string): Promise<AppDevice[]> {
    return (await this.db.query<DeviceRow>(`SELECT ${COLUMNS} FROM credential_app_devices WHERE citizen_index = $1 AND withdrawn_at IS NULL ORDER BY created_at, device_id`, [citizenIndex])).map(deviceOf);
  }

  /** Where a push goes: the citizen's default live device. */
  async defaultOf(citizenIndex: string): Promise<AppDevice | undefined> {
    const [row] = await this.db.query<DeviceRow>(`SELECT ${COLUMNS} FROM credential_app_devices WHERE citizen_index = $1 AND withdrawn_at IS NULL AND is_default ORDER BY created_at LIMIT 1`, [citizenIndex]);
    return row ? deviceOf(row) : undefined;
  }

  /** One transaction: this live device becomes the default and every other stops being it. False: no such live device of the citizen. */
  async makeDefault(citizenIndex: string, deviceId: string): Promise<boolean> {
    return this.db.transaction(async (sql) => {
      await lockDeviceSet(sql, citizenIndex);
      const [found] = await sql.query('SELECT device_id FROM credential_app_devices WHERE citizen_index = $1 AND device_id = $2 AND withdrawn_at IS NULL FOR UPDATE', [citizenIndex, deviceId]);
      if (!found) return false;
      await sql.query('UPDATE credential_app_devices SET is_default = (device_id = $2) WHERE citizen_index = $1', [citizenIndex, deviceId]);
      return true;
    });
  }

  /** Withdraws a live device of the citizen; a withdrawn default hands the role to the newest device left. */
  async withdraw(citizenIndex: string, deviceId: string): Promise<boolean> {
    return this.db.transaction(async (sql) => {
      await lockDeviceSet(sql, citizenIndex);
      const [gone] = await sql.query<{ is_default: boolean }>('UPDATE credential_app_devices SET withdrawn_at = now(), is_default = false WHERE citizen_index = $1 AND device_id = $2 AND withdrawn_at IS NULL RETURNING (SELECT is_default FROM credential_app_devices WHERE device_id = $2) AS is_default', [citizenIndex, deviceId]);
      if (!gone) return false;
      if (gone.is_default) {
        await sql.query(
          `UPDATE credential_app_devices SET is_default = true WHERE device_id = (SELECT device_id FROM credential_app_devices WHERE citizen_index = $1 AND withdrawn_at IS NULL ORDER BY created_at DESC, device_id LIMIT 1)`,
          [citizenIndex],
        );
      }
      return true;
    });
  }

  async recordUse(deviceId: string, at: Date = new Date()): Promise<void> {
    await this.db.query('UPDATE credential_app_devices SET last_used_at = $2 WHERE device_id = $1', [deviceId, at]);
  }
}

/**
 * Every write to a citizen's device set (certify, make default, withdraw) holds one per-citizen lock for
 * its transaction: a withdrawal of the default racing a certification cannot leave live devices with no
 * default, nor two "make default" deadlock on each other's rows.
 */
async function lockDeviceSet(sql: Sql, citizenIndex: string): Promise<void> {
  await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`app-devices:${citizenIndex}`]);
}

function deviceOf(row: DeviceRow): AppDevice {
  return {
    deviceId: row.device_id,
    citizenIndex: row.citizen_index,
    publicJwk: JSON.parse(row.public_jwk) as DevicePublicJwk,
    name: row.name,
    isDefault: row.is_default,
    createdAt: new Date(row.created_at),
    ...(row.last_used_at ? { lastUsedAt: new Date(row.last_used_at) } : {}),
    ...(row.withdrawn_at ? { withdrawnAt: new Date(row.withdrawn_at) } : {}),
  };
}
