import { BasicOCSPResponse, CertID, OCSPResponse, OCSPResponseStatus, id_pkix_ocsp_basic, id_pkix_ocsp_nonce } from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { CRLReasons, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { createHash } from 'node:crypto';
import type { X509Certificate } from '@peculiar/x509';
import { x509 } from '../../shared/x509.js';
import * as pkijs from 'pkijs';
import { AssertionError } from '../verify/assertion-error.js';
import type { OcspRequest } from './ocsp-request.js';

export interface OcspCheckContext {
  request: OcspRequest;
  issuer: X509Certificate;
  now: Date;
  clockSkewMs: number;
  /** Used only when the response has no nextUpdate. */
  maxAgeMs: number;
}

/** Until when a GOOD answer may be reused. */
export interface GoodOcspAnswer {
  validUntil: Date;
}

type ByteSource = ArrayBuffer | ArrayBufferView | OctetString;

/** asn1-schema's OctetString is not an ArrayBufferView (Buffer.from would read it as empty): unwrap it. */
function bytesOf(value: ByteSource): Buffer {
  if (value instanceof OctetString) return Buffer.from(value.buffer);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.from(value);
}

const equalBytes = (a: ByteSource, b: ByteSource) => bytesOf(a).equals(bytesOf(b));

function sameCertId(a: CertID, b: CertID): boolean {
  return (
    a.hashAlgorithm.algorithm === b.hashAlgorithm.algorithm &&
    equalBytes(a.issuerNameHash, b.issuerNameHash) &&
    equalBytes(a.issuerKeyHash, b.issuerKeyHash) &&
    equalBytes(a.serialNumber, b.serialNumber)
  );
}

function decodeBasicResponse(der: Uint8Array): { basic: BasicOCSPResponse; basicDer: ArrayBuffer } {
  let response: OCSPResponse;
  try {
    response = AsnConvert.parse(der, OCSPResponse);
  } catch (error) {
    throw new AssertionError('revocation_unavailable', 'OCSP response is not DER', {}, { cause: error });
  }
  if (response.responseStatus !== OCSPResponseStatus.successful) {
    throw new AssertionError('revocation_unavailable', `OCSP responder status ${OCSPResponseStatus[response.responseStatus]}`);
  }
  if (response.responseBytes?.responseType !== id_pkix_ocsp_basic) {
    throw new AssertionError('revocation_unavailable', 'OCSP response is not a basic response');
  }
  const basicDer = response.responseBytes.response.buffer;
  try {
    return { basic: AsnConvert.parse(basicDer, BasicOCSPResponse), basicDer };
  } catch (error) {
    throw new AssertionError('revocation_unavailable', 'OCSP basic response is not DER', {}, { cause: error });
  }
}

/** The certificates (embedded ones and the issuer) that the response's ResponderID names. */
function namedResponders(basic: BasicOCSPResponse, issuer: X509Certificate): X509Certificate[] {
  const embedded = (basic.certs ?? []).map((certificate) => new x509.X509Certificate(AsnConvert.serialize(certificate)));
  const { byName, byKey } = basic.tbsResponseData.responderID;
  return [...embedded, issuer].filter((candidate) => {
    if (byName) return equalBytes(AsnConvert.serialize(byName), candidate.subjectName.toArrayBuffer());
    const spki = AsnConvert.parse(candidate.publicKey.rawData, SubjectPublicKeyInfo);
    return byKey !== undefined && equalBytes(createHash('sha1').update(new Uint8Array(spki.subjectPublicKey)).digest(), byKey);
  });
}

/**
 * RFC 6960 §4.2.2.2: the signer must be the issuing CA itself, or a certificate issued BY THAT CA
 * carrying id-kp-OCSPSigning and valid now. Decided here rather than by pkijs's chain check,
 * which needs a self-signed anchor while the checker only knows the issuer.
 */
async function isAuthorisedResponder(candidate: X509Certificate, issuer: X509Certificate, now: Date, skewMs: number): Promise<boolean> {
  if (equalBytes(candidate.rawData, issuer.rawData)) return true;
  if (candidate.issuer !== issuer.subject) return false;
  if (!(await candidate.verify({ publicKey: issuer, signatureOnly: true }))) return false;
  const usages = candidate.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [];
  const current = candidate.notBefore.getTime() - skewMs <= now.getTime() && now.getTime() <= candidate.notAfter.getTime() + skewMs;
  return current && usages.includes(x509.ExtendedKeyUsage.ocspSigning);
}

async function checkResponder(basic: BasicOCSPResponse, basicDer: ArrayBuffer, context: OcspCheckContext): Promise<void> {
  let responder: X509Certificate | undefined;
  for (const candidate of namedResponders(basic, context.issuer)) {
    if (await isAuthorisedResponder(candidate, context.issuer, context.now, context.clockSkewMs)) {
      responder = candidate;
      break;
    }
  }
  if (!responder) throw new AssertionError('ocsp_unauthorised_responder', 'OCSP response not signed by the issuer or its delegated responder');
  // pkijs checks the signature only, against the responder authorised above.
  const pinned = pkijs.Certificate.fromBER(responder.rawData);
  const signed = pkijs.BasicOCSPResponse.fromBER(basicDer);
  signed.certs = [...(signed.certs ?? []), pinned];
  let signatureValid = false;
  try {
    signatureValid = await signed.verify({ trustedResponders: [pinned] });
  } catch {
    signatureValid = false;
  }
  if (!signatureValid) throw new AssertionError('ocsp_invalid_signature', 'OCSP response signature does not verify');
}

function checkNonce(basic: BasicOCSPResponse, nonce: Uint8Array): void {
  const extension = basic.tbsResponseData.responseExtensions?.find((e) => e.extnID === id_pkix_ocsp_nonce);
  if (!extension) throw new AssertionError('ocsp_nonce_mismatch', 'OCSP response does not echo the nonce');
  let echoed: ArrayBuffer = extension.extnValue.buffer;
  try {
    echoed = AsnConvert.parse(echoed, OctetString).buffer;
  } catch {
    // Pre-RFC 8954 responders put the nonce bytes directly in extnValue.
  }
  if (!equalBytes(echoed, nonce)) throw new AssertionError('ocsp_nonce_mismatch', 'OCSP nonce differs from the request');
}

/** Validates a raw OCSP response for the requested certificate; resolves only for GOOD. */
export async function evaluateOcspResponse(der: Uint8Array, context: OcspCheckContext): Promise<GoodOcspAnswer> {
  const { basic, basicDer } = decodeBasicResponse(der);
  await checkResponder(basic, basicDer, context);
  const asked = AsnConvert.parse(context.request.certId, CertID);
  const answers = basic.tbsResponseData.responses.filter((single) => sameCertId(single.certID, asked));
  if (answers.length !== 1) throw new AssertionError('ocsp_certid_mismatch', 'OCSP response does not answer for this certificate');
  const answer = answers[0]!;
  checkNonce(basic, context.request.nonce);

  const now = context.now.getTime();
  const { thisUpdate, nextUpdate } = answer;
  if (thisUpdate.getTime() > now + context.clockSkewMs) throw new AssertionError('ocsp_stale', 'OCSP thisUpdate is in the future');
  const validUntil = nextUpdate ?? new Date(thisUpdate.getTime() + context.maxAgeMs);
  if (validUntil.getTime() < thisUpdate.getTime() || validUntil.getTime() + context.clockSkewMs < now) {
    throw new AssertionError('ocsp_stale', 'OCSP response is out of date');
  }

  const status = answer.certStatus;
  if (status.revoked) {
    if (status.revoked.revocationReason?.reason === CRLReasons.certificateHold) {
      throw new AssertionError('certificate_suspended', 'certificate is on hold (OCSP)');
    }
    throw new AssertionError('certificate_revoked', 'certificate is revoked (OCSP)');
  }
  if (status.good !== null) throw new AssertionError('revocation_unknown', 'OCSP responder does not know the certificate');
  return { validUntil };
}
