import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import {
  AsnArray,
  AsnIntegerArrayBufferConverter,
  AsnProp,
  AsnPropTypes,
  AsnType,
  AsnTypeTypes,
  OctetString,
} from '@peculiar/asn1-schema';
import { Attribute } from '@peculiar/asn1-cms';

/**
 * ICAO Doc 9303-10 LDS Security Object, the content EF.SOD signs (protocol §1.5). Schemas for
 * @peculiar/asn1-schema, with the decorators applied as plain calls (the project compiles without
 * legacy decorators).
 */

/** id-icao-ldsSecurityObject (eContentType of EF.SOD). */
export const LDS_SECURITY_OBJECT_OID = '2.23.136.1.1.1';
export const SHA512_OID = '2.16.840.1.101.3.4.2.3';

/** DataGroupHash ::= SEQUENCE { dataGroupNumber INTEGER, dataGroupHashValue OCTET STRING } */
export class DataGroupHash {
  /**
   * The INTEGER's content octets as they are: a real CIE writes the DG numbers as one byte (`02 01 A5`),
   * which DER reads as a negative number; a number-valued INTEGER would encode `02 02 00 A5` instead.
   */
  dataGroupNumber: ArrayBuffer = new ArrayBuffer(0);
  dataGroupHashValue: OctetString = new OctetString();

  constructor(params: Partial<DataGroupHash> = {}) {
    Object.assign(this, params);
  }
}
AsnType({ type: AsnTypeTypes.Sequence })(DataGroupHash);
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })(DataGroupHash.prototype, 'dataGroupNumber');
AsnProp({ type: OctetString })(DataGroupHash.prototype, 'dataGroupHashValue');

/** LDSVersionInfo ::= SEQUENCE { ldsVersion PrintableString, unicodeVersion PrintableString } */
export class LdsVersionInfo {
  ldsVersion = '';
  unicodeVersion = '';

  constructor(params: Partial<LdsVersionInfo> = {}) {
    Object.assign(this, params);
  }
}
AsnType({ type: AsnTypeTypes.Sequence })(LdsVersionInfo);
AsnProp({ type: AsnPropTypes.PrintableString })(LdsVersionInfo.prototype, 'ldsVersion');
AsnProp({ type: AsnPropTypes.PrintableString })(LdsVersionInfo.prototype, 'unicodeVersion');

/** LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm, dataGroupHashValues SEQUENCE OF DataGroupHash, ldsVersionInfo OPTIONAL } */
export class LdsSecurityObject {
  version = 0;
  hashAlgorithm: AlgorithmIdentifier = new AlgorithmIdentifier();
  dataGroupHashValues: DataGroupHash[] = [];
  ldsVersionInfo?: LdsVersionInfo;

  constructor(params: Partial<LdsSecurityObject> = {}) {
    Object.assign(this, params);
  }
}
AsnType({ type: AsnTypeTypes.Sequence })(LdsSecurityObject);
AsnProp({ type: AsnPropTypes.Integer })(LdsSecurityObject.prototype, 'version');
AsnProp({ type: AlgorithmIdentifier })(LdsSecurityObject.prototype, 'hashAlgorithm');
AsnProp({ type: DataGroupHash, repeated: 'sequence' })(LdsSecurityObject.prototype, 'dataGroupHashValues');
AsnProp({ type: LdsVersionInfo, optional: true })(LdsSecurityObject.prototype, 'ldsVersionInfo');

/** SignedAttributes as the SET OF that the signature covers (RFC 5652 §5.4: the [0] IMPLICIT tag becomes SET). */
export class SignedAttributesSet extends AsnArray<Attribute> {}
AsnType({ type: AsnTypeTypes.Set, itemType: Attribute })(SignedAttributesSet);

/** The DG number of a DataGroupHash, read as the unsigned byte the card means (`A5`, not −91). */
export function dataGroupNumberOf(hash: DataGroupHash): number {
  const bytes = new Uint8Array(hash.dataGroupNumber);
  return bytes.length === 2 && bytes[0] === 0 ? bytes[1]! : bytes.length === 1 ? bytes[0]! : -1;
}
