import { X509Certificate } from 'node:crypto';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { toHex } from './bytes.js';
import { dataGroupNumberOf, LdsSecurityObject, SHA512_OID } from './lds-security-object.js';
import { findTlv, parseTlvs } from './tlv.js';

const HASH_NAMES: Record<string, string> = { [SHA512_OID]: 'SHA-512', '2.16.840.1.101.3.4.2.1': 'SHA-256' };
const SIGNATURE_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
};
const INDENT = '                  ';

function decode(sod: Uint8Array): string[] {
  const contentInfo = findTlv(parseTlvs(sod) ?? [], 0x77);
  if (!contentInfo) throw new Error('no tag 77');
  const signedData = AsnConvert.parse(AsnConvert.parse(contentInfo, ContentInfo).content, SignedData);
  const securityObject = AsnConvert.parse(signedData.encapContentInfo.eContent!.single!.buffer, LdsSecurityObject);
  const signer = signedData.signerInfos[0]!;
  const embedded = signedData.certificates?.[0]?.certificate;
  const lines: string[] = [];
  if (embedded) {
    const ds = new X509Certificate(Buffer.from(AsnConvert.serialize(embedded)));
    lines.push(`Document Signer:  ${ds.subject.replaceAll('\n', ', ')}`);
    lines.push(`${INDENT}issued by ${ds.issuer.replaceAll('\n', ', ')}`);
    lines.push(`${INDENT}serial ${ds.serialNumber}, valid ${ds.validFrom} → ${ds.validTo}`);
  }
  const hash = HASH_NAMES[securityObject.hashAlgorithm.algorithm] ?? securityObject.hashAlgorithm.algorithm;
  const signature = SIGNATURE_NAMES[signer.signatureAlgorithm.algorithm] ?? signer.signatureAlgorithm.algorithm;
  lines.push(`${INDENT}LDS security object v${securityObject.version}, ${hash} hashes, signature ${signature}`);
  for (const dg of securityObject.dataGroupHashValues) {
    const number = dataGroupNumberOf(dg).toString(16).toUpperCase().padStart(2, '0');
    lines.push(`${INDENT}DG ${number}: ${toHex(new Uint8Array(dg.dataGroupHashValue.buffer))}`);
  }
  return lines;
}

/** What EF.SOD says, for `cie-card show`: the Document Signer, its validity, and which data groups it hashes. */
export function describeSecurityObject(sod: Uint8Array | undefined): string[] {
  if (!sod) return ['EF.SOD:           none (card minted before EF.SOD was emulated)'];
  try {
    return [`EF.SOD:           ${sod.length} bytes`, ...decode(sod)];
  } catch {
    return [`EF.SOD:           ${sod.length} bytes that are not a CMS SignedData of an LDS security object`];
  }
}
