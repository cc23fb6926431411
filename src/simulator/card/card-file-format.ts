import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { fromHex, toHex } from './bytes.js';
import type { CardFamily, CardHolder, CieCardData } from './card-data.js';
import { VirtualCardError } from './errors.js';

/**
 * The card file: one JSON document per virtual card (holder, keys, certificate, DH group, ref-84 CA
 * public key, PIN, PUK, counters, blocked flag). Byte strings are upper-case hex, private keys JWK.
 * It holds secrets in clear: it is a test fixture, not a real card.
 */
const CARD_FILE_FORMAT = 'entra-con-cie/virtual-card';
const CARD_FILE_VERSION = 1;

interface CardFileJson {
  format: typeof CARD_FILE_FORMAT;
  version: typeof CARD_FILE_VERSION;
  family: CardFamily;
  holder: CardHolder;
  documentNumber: string;
  nis: string;
  snIcc: string;
  keys: { auth81: JsonWebKey; chip82: JsonWebKey; services83: JsonWebKey };
  authCertificate: string;
  dhGroup: { g: string; p: string; q: string };
  deviceAuthCa: { n: string; e: string; chr: string; cha: string };
  /** EF.SOD, hex; absent in card files written before it was emulated. */
  sod?: string;
  pin: string;
  puk: string;
  counters: { pin: number; puk: number };
  identityBlocked: boolean;
}

function privateJwk(key: KeyObject): JsonWebKey {
  return key.export({ format: 'jwk' });
}

export function serializeCard(card: CieCardData): string {
  const json: CardFileJson = {
    format: CARD_FILE_FORMAT,
    version: CARD_FILE_VERSION,
    family: card.family,
    holder: card.holder,
    documentNumber: card.documentNumber,
    nis: card.nis,
    snIcc: toHex(card.snIcc),
    keys: { auth81: privateJwk(card.authKey), chip82: privateJwk(card.chipKey), services83: privateJwk(card.servicesKey) },
    authCertificate: toHex(card.authCertificate),
    dhGroup: { g: toHex(card.dhGroup.g), p: toHex(card.dhGroup.p), q: toHex(card.dhGroup.q) },
    deviceAuthCa: {
      n: toHex(card.deviceAuthCa.n),
      e: toHex(card.deviceAuthCa.e),
      chr: toHex(card.deviceAuthCa.chr),
      cha: toHex(card.deviceAuthCa.cha),
    },
    ...(card.sod ? { sod: toHex(card.sod) } : {}),
    pin: card.state.pin,
    puk: card.state.puk,
    counters: { pin: card.state.pinTriesLeft, puk: card.state.pukTriesLeft },
    identityBlocked: card.state.identityBlocked,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function invalid(field: string): VirtualCardError {
  return new VirtualCardError('card_file_invalid', `card file: missing or invalid "${field}"`, { field });
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(field);
  return value as Record<string, unknown>;
}

function text(value: unknown, field: string, pattern?: RegExp): string {
  if (typeof value !== 'string' || (pattern && !pattern.test(value))) throw invalid(field);
  return value;
}

function hex(value: unknown, field: string): Uint8Array {
  return fromHex(text(value, field, /^(?:[0-9A-Fa-f]{2})+$/));
}

function counter(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) throw invalid(field);
  return value;
}

function rsaPrivateKey(value: unknown, field: string): KeyObject {
  try {
    const key = createPrivateKey({ key: record(value, field) as JsonWebKey, format: 'jwk' });
    if (key.asymmetricKeyType !== 'rsa') throw invalid(field);
    return key;
  } catch {
    throw invalid(field);
  }
}

const EIGHT_DIGITS = /^[0-9]{8}$/;

/** Validates a parsed card file; errors name the field, never its value. */
export function parseCard(input: unknown): CieCardData {
  const json = record(input, '(root)');
  if (json.format !== CARD_FILE_FORMAT || json.version !== CARD_FILE_VERSION) throw invalid('format/version');
  const holder = record(json.holder, 'holder');
  const keys = record(json.keys, 'keys');
  const dh = record(json.dhGroup, 'dhGroup');
  const ca = record(json.deviceAuthCa, 'deviceAuthCa');
  const counters = record(json.counters, 'counters');
  if (json.family !== 'gemalto' && json.family !== 'nxp') throw invalid('family');
  if (typeof json.identityBlocked !== 'boolean') throw invalid('identityBlocked');
  return {
    family: json.family,
    holder: {
      fiscalCode: text(holder.fiscalCode, 'holder.fiscalCode'),
      givenName: text(holder.givenName, 'holder.givenName'),
      familyName: text(holder.familyName, 'holder.familyName'),
      birthDate: text(holder.birthDate, 'holder.birthDate'),
      ...(holder.email === undefined ? {} : { email: text(holder.email, 'holder.email') }),
      ...(holder.documentNumber === undefined ? {} : { documentNumber: text(holder.documentNumber, 'holder.documentNumber') }),
    },
    documentNumber: text(json.documentNumber, 'documentNumber', /^[A-Z0-9]{9}$/),
    nis: text(json.nis, 'nis', /^[0-9]{12}$/),
    snIcc: hex(json.snIcc, 'snIcc'),
    authKey: rsaPrivateKey(keys.auth81, 'keys.auth81'),
    chipKey: rsaPrivateKey(keys.chip82, 'keys.chip82'),
    servicesKey: rsaPrivateKey(keys.services83, 'keys.services83'),
    authCertificate: hex(json.authCertificate, 'authCertificate'),
    dhGroup: { g: hex(dh.g, 'dhGroup.g'), p: hex(dh.p, 'dhGroup.p'), q: hex(dh.q, 'dhGroup.q') },
    deviceAuthCa: { n: hex(ca.n, 'deviceAuthCa.n'), e: hex(ca.e, 'deviceAuthCa.e'), chr: hex(ca.chr, 'deviceAuthCa.chr'), cha: hex(ca.cha, 'deviceAuthCa.cha') },
    ...(json.sod === undefined ? {} : { sod: hex(json.sod, 'sod') }),
    state: {
      pin: text(json.pin, 'pin', EIGHT_DIGITS),
      puk: text(json.puk, 'puk', EIGHT_DIGITS),
      pinTriesLeft: counter(counters.pin, 'counters.pin', 3),
      pukTriesLeft: counter(counters.puk, 'counters.puk', 10),
      identityBlocked: json.identityBlocked,
    },
  };
}
