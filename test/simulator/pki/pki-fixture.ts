import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { BasicOCSPResponse, OCSPResponse, id_pkix_ocsp_nonce } from '@peculiar/asn1-ocsp';
import * as pkijs from 'pkijs';
import { initTestPki } from '../../../src/simulator/pki/index.js';
import type { CardHolder, InitTestPkiOptions, TestPki } from '../../../src/simulator/pki/index.js';

export const HOLDER: CardHolder = {
  fiscalCode: 'RSSMRA80A01H501U',
  givenName: 'MARIO',
  familyName: 'ROSSI',
  birthDate: '1980-01-01',
};
export const DOCUMENT_NUMBER = 'CA00000AA';

/** Generous: RSA-3072 generation on a busy 2-core machine can take many seconds. */
export const PKI_CREATION_TIMEOUT_MS = 120_000;

export interface TempPki {
  pki: TestPki;
  dir: string;
  remove(): Promise<void>;
}

export async function createTempPki(options?: InitTestPkiOptions): Promise<TempPki> {
  const parent = await mkdtemp(join(tmpdir(), 'cie-pki-test-'));
  const dir = join(parent, 'pki');
  const pki = await initTestPki(dir, options);
  return { pki, dir, remove: () => rm(parent, { recursive: true, force: true }) };
}

let cardKey: KeyObject | undefined;

/** One key for every test card: key generation is the slow part and the key is not under test. */
export function rsaPublicKey(): KeyObject {
  cardKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
  return cardKey;
}

export async function issueCard(pki: TestPki): Promise<{ der: Uint8Array<ArrayBuffer>; serialNumber: string }> {
  return pki.issueCardCertificate({ holder: HOLDER, documentNumber: DOCUMENT_NUMBER, publicKey: rsaPublicKey() });
}

/** Builds the request with pkijs, an implementation independent of the responder's. */
export async function ocspRequestFor(
  certificateDer: Uint8Array<ArrayBuffer>,
  issuerDer: Uint8Array<ArrayBuffer>,
  options: { nonce?: Uint8Array<ArrayBuffer>; hashAlgorithm?: string } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const request = new pkijs.OCSPRequest();
  await request.createForCertificate(pkijs.Certificate.fromBER(certificateDer), {
    hashAlgorithm: options.hashAlgorithm ?? 'SHA-1',
    issuerCertificate: pkijs.Certificate.fromBER(issuerDer),
  });
  if (options.nonce) {
    request.tbsRequest.requestExtensions = [
      new pkijs.Extension({ extnID: id_pkix_ocsp_nonce, extnValue: AsnConvert.serialize(new OctetString(options.nonce)) }),
    ];
  }
  return new Uint8Array(request.toSchema(true).toBER());
}

export interface ParsedOcspResponse {
  responseStatus: number;
  basic?: BasicOCSPResponse;
  basicDer?: Uint8Array<ArrayBuffer>;
}

export function parseOcspResponse(der: Uint8Array<ArrayBuffer>): ParsedOcspResponse {
  const response = AsnConvert.parse(der, OCSPResponse);
  if (!response.responseBytes) return { responseStatus: response.responseStatus };
  const basicDer = new Uint8Array(response.responseBytes.response.buffer);
  return { responseStatus: response.responseStatus, basic: AsnConvert.parse(basicDer, BasicOCSPResponse), basicDer };
}

/** pkijs checks the signature and the RFC 6960 §4.2.2.2 authorisation of the signer. */
export async function verifyWithPkijs(basicDer: Uint8Array<ArrayBuffer>, trusted: Uint8Array<ArrayBuffer>[]): Promise<boolean> {
  const basic = pkijs.BasicOCSPResponse.fromBER(basicDer);
  return basic.verify({ trustedCerts: trusted.map((der) => pkijs.Certificate.fromBER(der)) });
}

export function derOf(certificate: { rawData: ArrayBuffer }): Uint8Array<ArrayBuffer> {
  return new Uint8Array(certificate.rawData);
}
