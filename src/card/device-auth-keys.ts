import { bytesToBigInt, hexToBytes } from './bytes.js';
import { CardError } from './card-error.js';

/** Device-authentication (DAPP) keys: data loaded from a file, never constants in code. */
export interface DeviceAuthKeys {
  /** Private key of the CA behind card key ref 84 (signs the terminal's CV certificate). */
  ca: { n: Uint8Array; d: Uint8Array };
  /** The terminal (IFD) RSA key pair. */
  terminal: { n: Uint8Array; e: Uint8Array; d: Uint8Array };
}

function invalid(message: string): CardError {
  return new CardError('invalid_device_keys', `device-authentication keys: ${message}`);
}

function hexField(object: Record<string, unknown>, field: string, where: string): Uint8Array {
  const value = object[field];
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${where}.${field} must be a hex string`);
  const even = value.length % 2 === 0 ? value : `0${value}`;
  if (!/^[0-9a-fA-F]+$/.test(even)) throw invalid(`${where}.${field} is not hex`);
  return hexToBytes(even);
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${where} must be an object`);
  return value as Record<string, unknown>;
}

/** Strips leading zero bytes so |n| is the real modulus length. */
function modulus(bytes: Uint8Array, where: string): Uint8Array {
  const start = bytes.findIndex((byte) => byte !== 0);
  const n = start === -1 ? new Uint8Array(0) : bytes.slice(start);
  if (n.length < 64) throw invalid(`${where}.n is not an RSA modulus`);
  return n;
}

function privateExponent(d: Uint8Array, n: Uint8Array, where: string): Uint8Array {
  const value = bytesToBigInt(d);
  if (value <= 1n || value >= bytesToBigInt(n)) throw invalid(`${where}.d is out of range`);
  return d;
}

/** Parses the JSON file form: {"version":1,"ca":{"n":hex,"e":hex,"d":hex},"terminal":{"n":hex,"e":hex,"d":hex}}. */
export function parseDeviceAuthKeys(json: unknown): DeviceAuthKeys {
  const root = record(json, 'file');
  if (root.version !== 1) throw invalid('unsupported version (expected 1)');
  const ca = record(root.ca, 'ca');
  const terminal = record(root.terminal, 'terminal');
  const caN = modulus(hexField(ca, 'n', 'ca'), 'ca');
  const terminalN = modulus(hexField(terminal, 'n', 'terminal'), 'terminal');
  const terminalE = hexField(terminal, 'e', 'terminal');
  if (terminalE.length > 4) throw invalid('terminal.e must fit in 4 bytes (it goes into the CV certificate)');
  return {
    ca: { n: caN, d: privateExponent(hexField(ca, 'd', 'ca'), caN, 'ca') },
    terminal: { n: terminalN, e: terminalE, d: privateExponent(hexField(terminal, 'd', 'terminal'), terminalN, 'terminal') },
  };
}
