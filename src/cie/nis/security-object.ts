import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { NisAuthenticationError } from './nis-authentication-error.js';

/** EF.SOD as the host reads it: the CMS SignedData, its Document Signer and the LDS security object's hashes. */
export interface SecurityObject {
  readonly signedData: pkijs.SignedData;
  readonly documentSigner: pkijs.Certificate;
  /** WebCrypto name of the LDS security object's hash: SHA-512 on current cards, SHA-256 on older ones (§1.5). */
  readonly hashAlgorithm: 'SHA-256' | 'SHA-512';
  /** DG number (A1 … A5, 1B) → hash. */
  readonly dataGroupHashes: ReadonlyMap<number, Uint8Array>;
}

const LDS_SECURITY_OBJECT = '2.23.136.1.1.1';
const HASHES: Record<string, SecurityObject['hashAlgorithm']> = {
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};
/** EF.SOD's ICAO wrapper: tag 77 = [APPLICATION 23], constructed. */
const APPLICATION_CLASS = 2;
const SOD_TAG_NUMBER = 23;

const malformed = (message: string, cause?: unknown) => new NisAuthenticationError('sod_malformed', `EF.SOD: ${message}`, {}, cause ? { cause } : undefined);

/** One whole BER object (nothing after it), as asn1js reads it. */
function decodeWhole(bytes: Uint8Array, what: string): asn1js.AsnType {
  const decoded = asn1js.fromBER(bytes);
  if (decoded.offset !== bytes.length) throw malformed(`${what} is not one BER object`);
  return decoded.result;
}

function hashAlgorithmOf(oid: string): SecurityObject['hashAlgorithm'] {
  const name = HASHES[oid];
  if (!name) throw new NisAuthenticationError('sod_unsupported_algorithm', `EF.SOD uses hash ${oid}`, { oid });
  return name;
}

/**
 * DG numbers are one-byte INTEGERs on the real card (`02 01 A5`, negative in DER terms): read as the unsigned
 * byte the card means; a positive two-byte form (`02 02 00 A5`) is accepted too.
 */
function dataGroupNumber(integer: asn1js.Integer): number {
  const bytes = integer.valueBlock.valueHexView;
  if (bytes.length === 1) return bytes[0]!;
  if (bytes.length === 2 && bytes[0] === 0) return bytes[1]!;
  throw malformed('a data group number is not one byte');
}

/** LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm, SEQUENCE OF { dataGroupNumber, dataGroupHashValue }, … } */
function readLdsSecurityObject(eContent: Uint8Array): Pick<SecurityObject, 'hashAlgorithm' | 'dataGroupHashes'> {
  const root = decodeWhole(eContent, 'the LDS security object');
  const [version, algorithm, hashes] = root instanceof asn1js.Sequence ? root.valueBlock.value : [];
  if (!(version instanceof asn1js.Integer) || !(algorithm instanceof asn1js.Sequence) || !(hashes instanceof asn1js.Sequence)) {
    throw malformed('the LDS security object has not the ICAO structure');
  }
  const oid = algorithm.valueBlock.value[0];
  if (!(oid instanceof asn1js.ObjectIdentifier)) throw malformed('the LDS hash algorithm has no OID');
  const dataGroupHashes = new Map<number, Uint8Array>();
  for (const entry of hashes.valueBlock.value) {
    const [number, hash] = entry instanceof asn1js.Sequence ? entry.valueBlock.value : [];
    if (!(number instanceof asn1js.Integer) || !(hash instanceof asn1js.OctetString)) throw malformed('a DataGroupHash has not the ICAO structure');
    const dataGroup = dataGroupNumber(number);
    if (dataGroupHashes.has(dataGroup)) throw malformed(`data group ${dataGroup.toString(16)} is hashed twice`);
    dataGroupHashes.set(dataGroup, new Uint8Array(hash.valueBlock.valueHexView));
  }
  return { hashAlgorithm: hashAlgorithmOf(oid.valueBlock.toString()), dataGroupHashes };
}

function signerCertificate(signedData: pkijs.SignedData): pkijs.Certificate {
  const [signer, ...others] = signedData.signerInfos;
  if (!signer || others.length > 0) throw malformed('EF.SOD must have exactly one signer');
  const sid = signer.sid;
  if (!(sid instanceof pkijs.IssuerAndSerialNumber)) throw malformed('the signer is not named by issuer and serial number');
  const certificate = (signedData.certificates ?? []).find(
    (candidate): candidate is pkijs.Certificate =>
      candidate instanceof pkijs.Certificate && candidate.issuer.isEqual(sid.issuer) && candidate.serialNumber.isEqual(sid.serialNumber),
  );
  if (!certificate) throw malformed('the Document Signer certificate is not in EF.SOD');
  return certificate;
}

/** Parses EF.SOD (tag 77 ‖ ContentInfo) without trusting anything in it yet. */
export function readSecurityObject(sod: Uint8Array): SecurityObject {
  const outer = decodeWhole(sod, 'the file');
  if (outer.idBlock.tagClass !== APPLICATION_CLASS || outer.idBlock.tagNumber !== SOD_TAG_NUMBER || !(outer instanceof asn1js.Constructed)) {
    throw malformed('no tag 77');
  }
  let signedData: pkijs.SignedData;
  try {
    const contentInfo = new pkijs.ContentInfo({ schema: outer.valueBlock.value[0] });
    if (contentInfo.contentType !== pkijs.ContentInfo.SIGNED_DATA || outer.valueBlock.value.length !== 1) throw new Error('not one SignedData');
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
  } catch (error) {
    if (error instanceof NisAuthenticationError) throw error;
    throw malformed('no CMS SignedData inside tag 77', error);
  }
  const { eContentType, eContent } = signedData.encapContentInfo;
  if (eContentType !== LDS_SECURITY_OBJECT || !eContent) throw malformed('the signed content is not an LDS security object');
  return {
    signedData,
    documentSigner: signerCertificate(signedData),
    ...readLdsSecurityObject(new Uint8Array(eContent.getValue())),
  };
}
