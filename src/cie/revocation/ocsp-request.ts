import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { id_pkix_ocsp_nonce } from '@peculiar/asn1-ocsp';
import type { X509Certificate } from '@peculiar/x509';
import { randomBytes } from 'node:crypto';
import * as pkijs from 'pkijs';

const NONCE_BYTES = 32;

export interface OcspRequest {
  der: Uint8Array<ArrayBuffer>;
  nonce: Uint8Array;
  /** DER of the CertID asked about: the response must answer for exactly this one. */
  certId: Uint8Array;
}

/** One-certificate OCSP request, CertID with SHA-1 (RFC 6960 §4.1.1 / RFC 5019), fresh 32-byte nonce. */
export async function buildOcspRequest(certificate: X509Certificate, issuer: X509Certificate): Promise<OcspRequest> {
  const request = new pkijs.OCSPRequest();
  await request.createForCertificate(pkijs.Certificate.fromBER(certificate.rawData), {
    hashAlgorithm: 'SHA-1',
    issuerCertificate: pkijs.Certificate.fromBER(issuer.rawData),
  });
  const nonce = new Uint8Array(randomBytes(NONCE_BYTES));
  // RFC 8954: the nonce extension's value is itself an OCTET STRING.
  request.tbsRequest.requestExtensions = [
    new pkijs.Extension({ extnID: id_pkix_ocsp_nonce, critical: false, extnValue: AsnConvert.serialize(new OctetString(nonce)) }),
  ];
  const certId = request.tbsRequest.requestList[0]!.reqCert.toSchema().toBER(false);
  return { der: new Uint8Array(request.toSchema(true).toBER(false)), nonce, certId: new Uint8Array(certId) };
}
