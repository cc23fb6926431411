import { generateKeyPair, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { base64UrlToBytes, fromHex, toHex } from './bytes.js';
import type { DeviceAuthCaPublic } from './card-data.js';
import { VirtualCardError } from './errors.js';

/**
 * DAPP key material. Every real CIE carries the same ref-84 CA public key and the official software
 * holds the CA private exponent (protocol §2.5); here both pairs are generated for tests.
 */
export interface DeviceAuthKeys {
  readonly ca: { readonly n: Uint8Array; readonly e: Uint8Array; readonly d: Uint8Array; readonly chr: Uint8Array; readonly cha: Uint8Array };
  readonly terminal: { readonly n: Uint8Array; readonly e: Uint8Array; readonly d: Uint8Array };
}

/** Test CA reference values of the vectors: CHR = 00000000 ‖ "ITTESTCA", CHA = DF_CIE AID ‖ 01. */
const TEST_CA_CHR = fromHex('000000004954544553544341');
const TEST_CA_CHA = fromHex('A0000000003901');

async function rsa2048(): Promise<{ n: Uint8Array; e: Uint8Array; d: Uint8Array }> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048, publicExponent: 65537 });
  const jwk = privateKey.export({ format: 'jwk' });
  if (!jwk.n || !jwk.e || !jwk.d) throw new Error('RSA key generation returned an incomplete JWK');
  return { n: base64UrlToBytes(jwk.n), e: base64UrlToBytes(jwk.e), d: base64UrlToBytes(jwk.d) };
}

export async function createDeviceAuthKeys(): Promise<DeviceAuthKeys> {
  const [ca, terminal] = await Promise.all([rsa2048(), rsa2048()]);
  return { ca: { ...ca, chr: TEST_CA_CHR, cha: TEST_CA_CHA }, terminal };
}

/** The public part a card is minted with. */
export function deviceAuthCaPublic(keys: DeviceAuthKeys): DeviceAuthCaPublic {
  const { n, e, chr, cha } = keys.ca;
  return { n, e, chr, cha };
}

/** Exactly `{"version":1,"ca":{n,e,d,chr,cha},"terminal":{n,e,d}}`, upper-case big-endian hex (the host side parses it). */
export function serializeDeviceAuthKeys(keys: DeviceAuthKeys): string {
  const { ca, terminal } = keys;
  const json = {
    version: 1,
    ca: { n: toHex(ca.n), e: toHex(ca.e), d: toHex(ca.d), chr: toHex(ca.chr), cha: toHex(ca.cha) },
    terminal: { n: toHex(terminal.n), e: toHex(terminal.e), d: toHex(terminal.d) },
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** Writes the file atomically; generates fresh keys unless given. */
export async function writeDeviceAuthKeysFile(path: string, keys?: DeviceAuthKeys): Promise<DeviceAuthKeys> {
  const written = keys ?? (await createDeviceAuthKeys());
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, serializeDeviceAuthKeys(written), { mode: 0o600 });
  await rename(temporary, path);
  return written;
}

function field(source: unknown, name: string): Uint8Array {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string' || !/^(?:[0-9A-F]{2})+$/.test(value)) {
    throw new VirtualCardError('device_keys_invalid', `device-auth keys: missing or invalid "${name}"`, { field: name });
  }
  return fromHex(value);
}

export async function readDeviceAuthKeysFile(path: string): Promise<DeviceAuthKeys> {
  let json: { version?: unknown; ca?: unknown; terminal?: unknown };
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new VirtualCardError('device_keys_unreadable', `cannot read device-auth keys ${path}`, { path }, { cause });
  }
  if (json.version !== 1) throw new VirtualCardError('device_keys_invalid', 'device-auth keys: unsupported version', { path });
  return {
    ca: { n: field(json.ca, 'n'), e: field(json.ca, 'e'), d: field(json.ca, 'd'), chr: field(json.ca, 'chr'), cha: field(json.ca, 'cha') },
    terminal: { n: field(json.terminal, 'n'), e: field(json.terminal, 'e'), d: field(json.terminal, 'd') },
  };
}
