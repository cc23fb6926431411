import { randomBytes } from 'node:crypto';
import { PkiError } from './pki-error.js';

/** 16 random bytes, first byte 0x01..0x7f: positive and already minimal in DER (no 00 pad, no leading 00). */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) || 0x01;
  return bytes.toString('hex');
}

/** Canonical form used as the state key: lowercase hex, no separators, no leading zero bytes. */
export function normaliseSerialHex(serial: string): string {
  const hex = serial.replace(/[\s:]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) throw new PkiError('PKI_INVALID_SERIAL', `not a hexadecimal serial number: ${serial}`);
  const even = hex.length % 2 === 0 ? hex : `0${hex}`;
  return even.replace(/^(00)+(?=..)/, '');
}
