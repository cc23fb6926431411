import { createPublicKey, generateKeyPair, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { PIN_TRIES, PUK_TRIES, type CardFamily, type CardHolder, type CieCardData, type DeviceAuthCaPublic } from './card-data.js';
import { dataGroupContents } from './data-groups.js';
import { VirtualCardError } from './errors.js';
import { RFC5114_GROUP_2048_256 } from './rfc5114-group.js';

/** Issues the X.509 authentication certificate for the card's ref-81 public key (implemented by the test PKI). */
export type CertificateIssuer = (req: {
  holder: CardHolder;
  documentNumber: string;
  publicKey: KeyObject;
}) => Promise<{ der: Uint8Array; serialNumber: string }>;

/** Signs EF.SOD over the card's data groups (DG number → content), as the Document Signer of the test PKI does. */
export type SecurityObjectSigner = (dataGroups: ReadonlyMap<number, Uint8Array>) => Promise<Uint8Array>;

export interface MintCardParams {
  readonly holder: CardHolder;
  /** 8 digits. */
  readonly pin: string;
  /** 8 digits. */
  readonly puk: string;
  /** The ref-84 CA public key + CHR/CHA, from the device-auth keys file. */
  readonly deviceAuthCa: DeviceAuthCaPublic;
  readonly family?: CardFamily;
}

const EIGHT_DIGITS = /^[0-9]{8}$/;
/** Two letters, five digits, two letters (e.g. CA00000AA), the pattern of real card numbers. */
const DOCUMENT_NUMBER = /^[A-Z]{2}[0-9]{5}[A-Z]{2}$/;
const FISCAL_CODE = /^[A-Z0-9]{16}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function randomDigits(count: number): string {
  return Array.from({ length: count }, () => randomInt(10).toString()).join('');
}

function randomLetters(count: number): string {
  return Array.from({ length: count }, () => String.fromCharCode(0x41 + randomInt(26))).join('');
}

function validate(params: MintCardParams): string {
  const { holder } = params;
  if (!FISCAL_CODE.test(holder.fiscalCode)) throw new VirtualCardError('invalid_holder', 'fiscal code must be 16 upper-case letters/digits');
  if (!holder.givenName.trim() || !holder.familyName.trim()) throw new VirtualCardError('invalid_holder', 'given and family name are required');
  if (!DATE.test(holder.birthDate) || Number.isNaN(Date.parse(holder.birthDate))) {
    throw new VirtualCardError('invalid_holder', 'birth date must be YYYY-MM-DD');
  }
  if (!EIGHT_DIGITS.test(params.pin)) throw new VirtualCardError('invalid_code', 'the PIN must be 8 digits');
  if (!EIGHT_DIGITS.test(params.puk)) throw new VirtualCardError('invalid_code', 'the PUK must be 8 digits');
  const documentNumber = holder.documentNumber ?? `CA${randomDigits(5)}${randomLetters(2)}`;
  if (!DOCUMENT_NUMBER.test(documentNumber)) {
    throw new VirtualCardError('invalid_document_number', 'document number must look like CA00000AA', { documentNumber });
  }
  return documentNumber;
}

async function rsa2048(): Promise<KeyObject> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048, publicExponent: 65537 });
  return privateKey;
}

/**
 * Creates a new virtual CIE: fresh keys 81/82/83, NIS, SN.ICC, certificate from `issuer`, full counters, and
 * EF.SOD from `signSecurityObject` when given (without it the card has no EF.SOD).
 */
export async function mintCard(params: MintCardParams, issuer: CertificateIssuer, signSecurityObject?: SecurityObjectSigner): Promise<CieCardData> {
  const documentNumber = validate(params);
  const holder: CardHolder = { ...params.holder, documentNumber };
  const [authKey, chipKey, servicesKey] = await Promise.all([rsa2048(), rsa2048(), rsa2048()]);
  const certificate = await issuer({ holder, documentNumber, publicKey: createPublicKey(authKey) });
  const card: CieCardData = {
    holder,
    documentNumber,
    nis: randomDigits(12),
    family: params.family ?? 'gemalto',
    snIcc: randomBytes(8),
    authKey,
    authCertificate: certificate.der,
    chipKey,
    servicesKey,
    dhGroup: RFC5114_GROUP_2048_256,
    deviceAuthCa: params.deviceAuthCa,
    state: { pin: params.pin, puk: params.puk, pinTriesLeft: PIN_TRIES, pukTriesLeft: PUK_TRIES, identityBlocked: false },
  };
  return signSecurityObject ? { ...card, sod: await signSecurityObject(dataGroupContents(card)) } : card;
}
