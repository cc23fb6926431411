import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { AppKeyError, openWithCode, sealWithCode, type SealedSecret } from './security-code.js';

/** The public half the provider stores: EC P-256, exactly `{kty, crv, x, y}`. */
export interface DevicePublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/** A device certified by one provider, as the app keeps it: the private key only sealed under the security code. */
export interface CertifiedDevice {
  origin: string;
  deviceId: string;
  name: string;
  publicJwk: DevicePublicJwk;
  certifiedAt: number;
  sealedKey: SealedSecret;
  /** Wrong codes in a row; at MAX_CODE_TRIES the key is erased (the device must be certified again with the card). */
  failedCodes: number;
}

/** What a right code gives for one operation: the key to sign with, never written anywhere. */
export interface UnlockedDevice {
  origin: string;
  deviceId: string;
  privateKey: KeyObject;
}

export const MAX_CODE_TRIES = 5;

/** A fresh ES256 key pair for a device being certified. */
export function newDeviceKey(): { privateKey: KeyObject; publicJwk: DevicePublicJwk } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x, y } = publicKey.export({ format: 'jwk' });
  return { privateKey, publicJwk: { kty: 'EC', crv: 'P-256', x: x!, y: y! } };
}

// The sealed key is bound to its provider and device: a record copied under another identity does not open.
const boundTo = (origin: string, deviceId: string) => `cieid-app-key:${origin} ${deviceId}`;

const FORMAT = 'cieid-app-keystore:1';

function parseStore(text: string): CertifiedDevice[] {
  const json = JSON.parse(text) as { format?: unknown; devices?: unknown };
  if (json.format !== FORMAT || !Array.isArray(json.devices)) throw new Error('not a key store');
  for (const device of json.devices as CertifiedDevice[]) {
    if (typeof device.origin !== 'string' || typeof device.deviceId !== 'string' || typeof device.sealedKey !== 'object' || device.sealedKey === null) throw new Error('bad device');
  }
  return json.devices as CertifiedDevice[];
}

/**
 * The app's certified devices, one per provider origin, in memory or in a JSON file (0600; the CLI's
 * `--keystore`). A real app keeps the key in the phone's keystore (Android Keystore, Secure Enclave),
 * unexportable, its use gated by the code or biometrics; this file is the simulator's stand-in: the
 * private key sealed with the security code (security-code.ts), tries counted and limited here.
 */
export class DeviceKeyStore {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly devices: Map<string, CertifiedDevice>,
    private readonly path?: string,
  ) {}

  static inMemory(): DeviceKeyStore {
    return new DeviceKeyStore(new Map());
  }

  /** The store in `path` (created at the first certification when absent). */
  static async openFile(path: string): Promise<DeviceKeyStore> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new DeviceKeyStore(new Map(), path);
      throw new AppKeyError('keystore_unreadable', `cannot read ${path}`, {}, { cause: error });
    }
    try {
      return new DeviceKeyStore(new Map(parseStore(text).map((device) => [device.origin, device])), path);
    } catch (cause) {
      throw new AppKeyError('keystore_unreadable', `${path} is not a CieID-app key store`, {}, { cause });
    }
  }

  device(origin: string): CertifiedDevice | undefined {
    return this.devices.get(origin);
  }

  list(): CertifiedDevice[] {
    return [...this.devices.values()];
  }

  /** Keeps a device the provider certified, its key sealed under `code` (a device certified again for the same provider replaces the old one). */
  async add(input: { origin: string; deviceId: string; name: string; publicJwk: DevicePublicJwk; privateKey: KeyObject; code: string }, now = Date.now()): Promise<CertifiedDevice> {
    const secret = input.privateKey.export({ type: 'pkcs8', format: 'der' });
    const sealedKey = await sealWithCode(secret, input.code, boundTo(input.origin, input.deviceId));
    const device: CertifiedDevice = { origin: input.origin, deviceId: input.deviceId, name: input.name, publicJwk: input.publicJwk, certifiedAt: now, sealedKey, failedCodes: 0 };
    this.devices.set(input.origin, device);
    await this.save();
    return device;
  }

  /**
   * The device's key for one operation, or an error before anything is sent: `not_certified`,
   * `wrong_security_code` (tries left in details), `security_code_locked` (the key is erased).
   */
  async unlock(origin: string, code: string): Promise<UnlockedDevice> {
    const device = this.devices.get(origin);
    if (!device) throw new AppKeyError('not_certified', `this device is not certified for ${origin}`);
    let secret: Buffer;
    try {
      secret = await openWithCode(device.sealedKey, code, boundTo(device.origin, device.deviceId));
    } catch (error) {
      if (!(error instanceof AppKeyError) || error.code !== 'wrong_security_code') throw error;
      device.failedCodes += 1;
      if (device.failedCodes >= MAX_CODE_TRIES) {
        this.devices.delete(origin);
        await this.save();
        throw new AppKeyError('security_code_locked', 'too many wrong security codes: the device key was erased; certify the device again with the card');
      }
      await this.save();
      throw new AppKeyError('wrong_security_code', 'wrong security code', { triesLeft: MAX_CODE_TRIES - device.failedCodes });
    }
    if (device.failedCodes !== 0) {
      device.failedCodes = 0;
      await this.save();
    }
    return { origin, deviceId: device.deviceId, privateKey: createPrivateKey({ key: secret, format: 'der', type: 'pkcs8' }) };
  }

  /** Forgets the device (the citizen withdraws it on the account page; the app drops its key). */
  async remove(origin: string): Promise<void> {
    if (this.devices.delete(origin)) await this.save();
  }

  /** Written whole, through a temporary file and a rename (a crash never leaves half a store); writes in order. */
  private save(): Promise<void> {
    const path = this.path;
    if (!path) return Promise.resolve();
    const text = JSON.stringify({ format: FORMAT, devices: this.list() }, null, 2);
    this.writing = this.writing.catch(() => undefined).then(async () => {
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, text, { mode: 0o600 });
      await rename(temporary, path);
    });
    return this.writing;
  }
}
