import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createIssuingCaCertificate, createOcspResponderCertificate, createRootCertificate } from './ca-certificates.js';
import type { Signer } from './ca-certificates.js';
import { createCrl } from './crl.js';
import { assertWholeSeconds } from './option-checks.js';
import { PkiError } from './pki-error.js';
import { pkiPath, writeCertificate, writeCrl, writePrivateKey, writeState } from './pki-files.js';
import type { PkiState } from './pki-state.js';
import { pkiUrls } from './pki-urls.js';
import { CA_KEY_BITS, DEFAULT_BASE_URL, DEFAULT_CRL_NEXT_UPDATE_SECONDS, ROOT_KEY_BITS } from './profile.js';
import { generateRsaKeyPair } from './rsa-keys.js';
import { randomSerialHex } from './serial-number.js';
import { loadTestPki } from './test-pki.js';
import type { LoadTestPkiOptions, TestPki } from './test-pki.js';

export interface InitTestPkiOptions extends LoadTestPkiOptions {
  /** Base URL of the PKI server, written into AIA and CRL DP extensions. */
  baseUrl?: string;
}

/** Creates root CA, issuing CA, OCSP responder, empty CRLs and the state file in `dir`. */
export async function initTestPki(dir: string, options: InitTestPkiOptions = {}): Promise<TestPki> {
  assertWholeSeconds('crlNextUpdateSeconds', options.crlNextUpdateSeconds);
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
  const urls = pkiUrls(baseUrl);
  if (existsSync(pkiPath(dir, 'state'))) throw new PkiError('PKI_ALREADY_INITIALISED', `${dir} already holds a test PKI`);
  await mkdir(dir, { recursive: true });
  const now = new Date();

  const rootKeys = await generateRsaKeyPair(ROOT_KEY_BITS);
  const rootSerial = randomSerialHex();
  const root: Signer = { certificate: await createRootCertificate(rootKeys, rootSerial, now), key: rootKeys.privateKey };

  const issuingKeys = await generateRsaKeyPair(CA_KEY_BITS);
  const issuingSerial = randomSerialHex();
  const issuing: Signer = {
    certificate: await createIssuingCaCertificate(root, issuingKeys.publicKey, issuingSerial, urls, now),
    key: issuingKeys.privateKey,
  };

  const responderKeys = await generateRsaKeyPair(CA_KEY_BITS);
  const responderSerial = randomSerialHex();
  const responderCertificate = await createOcspResponderCertificate(issuing, responderKeys.publicKey, responderSerial, now);

  const state: PkiState = {
    version: 1,
    baseUrl,
    issued: {
      [issuingSerial]: { issuer: 'root', subject: issuing.certificate.subject, notAfter: issuing.certificate.notAfter.toISOString() },
      [responderSerial]: { issuer: 'issuing', subject: responderCertificate.subject, notAfter: responderCertificate.notAfter.toISOString() },
    },
    revocations: {},
  };

  await writeCertificate(dir, 'rootCertificate', root.certificate);
  await writePrivateKey(dir, 'rootKey', root.key);
  await writeCertificate(dir, 'issuingCertificate', issuing.certificate);
  await writePrivateKey(dir, 'issuingKey', issuing.key);
  await writeCertificate(dir, 'ocspResponderCertificate', responderCertificate);
  await writePrivateKey(dir, 'ocspResponderKey', responderKeys.privateKey);
  const crlNextUpdateSeconds = options.crlNextUpdateSeconds ?? DEFAULT_CRL_NEXT_UPDATE_SECONDS;
  await writeCrl(dir, 'rootCrl', await createCrl(root, 'root', state, now, crlNextUpdateSeconds));
  await writeCrl(dir, 'issuingCrl', await createCrl(issuing, 'issuing', state, now, crlNextUpdateSeconds));
  // The state file is written last: its presence means "a complete PKI lives here".
  await writeState(dir, state);
  return loadTestPki(dir, options);
}
