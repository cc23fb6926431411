import { webcrypto } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  BasicOCSPResponse,
  CertID,
  CertStatus,
  KeyHash,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  ResponderID,
  ResponseBytes,
  ResponseData,
  RevokedInfo,
  SingleResponse,
  id_pkix_ocsp_basic,
  id_pkix_ocsp_nonce,
} from '@peculiar/asn1-ocsp';
import { AlgorithmIdentifier, Certificate, CRLReason } from '@peculiar/asn1-x509';
import type { CRLReasons } from '@peculiar/asn1-x509';
import { addSeconds, wholeSeconds } from './dates.js';
import type { CaRole } from './pki-state.js';
import { OID, RSA_SHA256 } from './profile.js';
import { normaliseSerialHex } from './serial-number.js';
import type { X509 } from '../../shared/x509.js';

export type OcspCertStatus = { status: 'good' } | { status: 'unknown' } | { status: 'revoked'; revokedAt: Date; reason: CRLReasons };

export interface OcspSigningIdentity {
  certificate: X509.X509Certificate;
  key: CryptoKey;
}

/** A CA the responder answers for, and who signs those answers. */
export interface OcspAuthority {
  role: CaRole;
  certificate: X509.X509Certificate;
  responder: OcspSigningIdentity;
}

export interface OcspResponderContext {
  /** The first one signs when no CertID in the request names a known CA. */
  authorities: readonly OcspAuthority[];
  statusOf(role: CaRole, serial: string): OcspCertStatus;
  now: Date;
  nextUpdateSeconds: number;
  /** thisUpdate and producedAt are moved this far into the past (0 = fresh). */
  staleSeconds: number;
}

const HASHES_BY_OID: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

/**
 * Answers one DER OCSPRequest (RFC 6960) with one DER OCSPResponse. Never throws: an undecodable
 * request gets malformedRequest, any other failure internalError.
 */
export async function answerOcspRequest(requestDer: Uint8Array, context: OcspResponderContext): Promise<Uint8Array<ArrayBuffer>> {
  let request: OCSPRequest;
  try {
    request = AsnConvert.parse(requestDer, OCSPRequest);
  } catch {
    return statusOnly(OCSPResponseStatus.malformedRequest);
  }
  if (request.tbsRequest.requestList.length === 0) return statusOnly(OCSPResponseStatus.malformedRequest);
  try {
    return await signedAnswer(request, context);
  } catch {
    return statusOnly(OCSPResponseStatus.internalError);
  }
}

function statusOnly(responseStatus: OCSPResponseStatus): Uint8Array<ArrayBuffer> {
  return new Uint8Array(AsnConvert.serialize(new OCSPResponse({ responseStatus })));
}

async function signedAnswer(request: OCSPRequest, context: OcspResponderContext): Promise<Uint8Array<ArrayBuffer>> {
  const certIds = request.tbsRequest.requestList.map((single) => single.reqCert);
  const issuers = await Promise.all(certIds.map((certId) => findIssuer(certId, context.authorities)));
  // One response has one signature: the CA of the first recognised CertID decides who signs.
  const signingAuthority = issuers.find((issuer) => issuer !== undefined) ?? context.authorities[0];
  if (!signingAuthority) throw new Error('the responder has no authorities');

  const thisUpdate = wholeSeconds(addSeconds(context.now, -context.staleSeconds));
  const nextUpdate = addSeconds(thisUpdate, context.nextUpdateSeconds);
  const responses = certIds.map((certID, index) => {
    const known = issuers[index] === signingAuthority;
    const status = known ? context.statusOf(signingAuthority.role, serialHex(certID)) : ({ status: 'unknown' } as const);
    return new SingleResponse({ certID, certStatus: certStatus(status), thisUpdate, nextUpdate });
  });
  const nonce = request.tbsRequest.requestExtensions?.filter((extension) => extension.extnID === id_pkix_ocsp_nonce);

  const responder = signingAuthority.responder;
  const tbsResponseData = new ResponseData({
    responderID: new ResponderID({ byKey: new KeyHash(await digest('SHA-1', subjectPublicKeyBits(responder.certificate))) }),
    producedAt: thisUpdate,
    responses,
    responseExtensions: nonce && nonce.length > 0 ? nonce : undefined,
  });
  const signature = await webcrypto.subtle.sign(RSA_SHA256, responder.key, AsnConvert.serialize(tbsResponseData));
  const basic = new BasicOCSPResponse({
    tbsResponseData,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: OID.sha256WithRsaEncryption, parameters: null }),
    signature,
    certs: [AsnConvert.parse(responder.certificate.rawData, Certificate)],
  });
  const response = new OCSPResponse({
    responseStatus: OCSPResponseStatus.successful,
    responseBytes: new ResponseBytes({ responseType: id_pkix_ocsp_basic, response: new OctetString(AsnConvert.serialize(basic)) }),
  });
  return new Uint8Array(AsnConvert.serialize(response));
}

function certStatus(status: OcspCertStatus): CertStatus {
  switch (status.status) {
    case 'good':
      return new CertStatus({ good: null });
    case 'unknown':
      return new CertStatus({ unknown: null });
    case 'revoked':
      return new CertStatus({
        revoked: new RevokedInfo({ revocationTime: wholeSeconds(status.revokedAt), revocationReason: new CRLReason(status.reason) }),
      });
  }
}

async function findIssuer(certId: CertID, authorities: readonly OcspAuthority[]): Promise<OcspAuthority | undefined> {
  const hash = HASHES_BY_OID[certId.hashAlgorithm.algorithm];
  if (!hash) return undefined;
  for (const authority of authorities) {
    const nameHash = await digest(hash, authority.certificate.subjectName.toArrayBuffer());
    const keyHash = await digest(hash, subjectPublicKeyBits(authority.certificate));
    if (sameBytes(nameHash, certId.issuerNameHash.buffer) && sameBytes(keyHash, certId.issuerKeyHash.buffer)) return authority;
  }
  return undefined;
}

/** The BIT STRING content of subjectPublicKey, which RFC 6960 hashes for issuerKeyHash and byKey. */
function subjectPublicKeyBits(certificate: X509.X509Certificate): ArrayBuffer {
  return AsnConvert.parse(certificate.rawData, Certificate).tbsCertificate.subjectPublicKeyInfo.subjectPublicKey;
}

function serialHex(certId: CertID): string {
  return normaliseSerialHex(Buffer.from(certId.serialNumber).toString('hex') || '00');
}

async function digest(algorithm: string, data: ArrayBuffer): Promise<ArrayBuffer> {
  return webcrypto.subtle.digest(algorithm, data);
}

function sameBytes(a: ArrayBuffer, b: ArrayBuffer): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}
