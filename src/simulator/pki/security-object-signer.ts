import { createHash, webcrypto } from 'node:crypto';
import {
  Attribute,
  CertificateChoices,
  CertificateSet,
  ContentInfo,
  DigestAlgorithmIdentifiers,
  EncapsulatedContent,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
  id_contentType,
  id_messageDigest,
  id_signedData,
  MessageDigest,
} from '@peculiar/asn1-cms';
import { AsnConvert, AsnObjectIdentifierConverter, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509';
import { encodeTlv } from '../card/tlv.js';
import {
  DataGroupHash,
  LDS_SECURITY_OBJECT_OID,
  LdsSecurityObject,
  LdsVersionInfo,
  SHA512_OID,
  SignedAttributesSet,
} from '../card/lds-security-object.js';
import { PSS_SALT_LENGTH, type DocumentSigner } from './document-signer.js';
import { x509 } from '../../shared/x509.js';

/** ICAO application tag of EF.SOD (`77`), outside the CMS. */
const EF_SOD_TAG = 0x77;

const sha512 = (data: Uint8Array | ArrayBuffer) => new Uint8Array(createHash('sha512').update(new Uint8Array(data)).digest());

/**
 * EF.SOD as protocol §1.5 decodes a real one: tag 77 around a ContentInfo/SignedData v3, digest SHA-512,
 * eContent an LDS Security Object v1 (SHA-512, one hash per data group, LDSVersionInfo "0108"/"040000"),
 * the DS certificate embedded, one SignerInfo v1 (issuerAndSerialNumber, signed attributes contentType +
 * messageDigest, RSASSA-PSS SHA-512 salt 64).
 */
export async function signSecurityObject(signer: DocumentSigner, dataGroups: ReadonlyMap<number, Uint8Array>): Promise<Uint8Array> {
  const sha512Algorithm = new AlgorithmIdentifier({ algorithm: SHA512_OID });
  const securityObject = new LdsSecurityObject({
    version: 1,
    hashAlgorithm: sha512Algorithm,
    dataGroupHashValues: [...dataGroups].map(
      ([number, content]) => new DataGroupHash({ dataGroupNumber: Uint8Array.of(number).buffer, dataGroupHashValue: new OctetString(sha512(content)) }),
    ),
    ldsVersionInfo: new LdsVersionInfo({ ldsVersion: '0108', unicodeVersion: '040000' }),
  });
  const eContent = AsnConvert.serialize(securityObject);

  // contentType before messageDigest: the DER order of this SET OF (the shorter encoding sorts first).
  const signedAttributes = new SignedAttributesSet([
    new Attribute({ attrType: id_contentType, attrValues: [AsnObjectIdentifierConverter.toASN(LDS_SECURITY_OBJECT_OID).toBER(false)] }),
    new Attribute({ attrType: id_messageDigest, attrValues: [AsnConvert.serialize(new MessageDigest(sha512(eContent)))] }),
  ]);
  const signature = await webcrypto.subtle.sign(
    { name: 'RSA-PSS', saltLength: PSS_SALT_LENGTH },
    signer.key,
    AsnConvert.serialize(signedAttributes),
  );
  const signatureAlgorithm = new x509.RsaAlgorithm().toAsnAlgorithm({ name: 'RSA-PSS', hash: { name: 'SHA-512' }, saltLength: PSS_SALT_LENGTH } as Algorithm);
  if (!signatureAlgorithm) throw new Error('no ASN.1 identifier for RSASSA-PSS');

  const certificate = AsnConvert.parse(signer.certificate.rawData, Certificate);
  const tbs = certificate.tbsCertificate;
  const signedData = new SignedData({
    version: 3,
    digestAlgorithms: new DigestAlgorithmIdentifiers([sha512Algorithm]),
    encapContentInfo: new EncapsulatedContentInfo({
      eContentType: LDS_SECURITY_OBJECT_OID,
      eContent: new EncapsulatedContent({ single: new OctetString(eContent) }),
    }),
    certificates: new CertificateSet([new CertificateChoices({ certificate })]),
    signerInfos: new SignerInfos([
      new SignerInfo({
        version: 1,
        sid: new SignerIdentifier({ issuerAndSerialNumber: new IssuerAndSerialNumber({ issuer: tbs.issuer, serialNumber: tbs.serialNumber }) }),
        digestAlgorithm: sha512Algorithm,
        signedAttrs: [...signedAttributes],
        signatureAlgorithm,
        signature: new OctetString(signature),
      }),
    ]),
  });
  const contentInfo = new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signedData) });
  return encodeTlv(EF_SOD_TAG, new Uint8Array(AsnConvert.serialize(contentInfo)));
}
