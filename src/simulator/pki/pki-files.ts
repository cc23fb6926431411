import { readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { PkiError } from './pki-error.js';
import { isPkiState } from './pki-state.js';
import type { PkiState } from './pki-state.js';
import { RSA_SHA256 } from './profile.js';
import { x509 } from '../../shared/x509.js';
import type { X509 } from '../../shared/x509.js';

/** Layout of a PKI directory. Keys are unencrypted PKCS#8: this is a test PKI and nothing else. */
export const PKI_FILES = {
  rootCertificate: 'root-ca.pem',
  rootKey: 'root-ca.key.pem',
  rootCrl: 'root-ca.crl.pem',
  issuingCertificate: 'issuing-ca.pem',
  issuingKey: 'issuing-ca.key.pem',
  issuingCrl: 'issuing-ca.crl.pem',
  ocspResponderCertificate: 'ocsp-responder.pem',
  ocspResponderKey: 'ocsp-responder.key.pem',
  state: 'state.json',
  lock: 'state.lock',
} as const;

type PkiFile = keyof typeof PKI_FILES;

export function pkiPath(dir: string, file: PkiFile): string {
  return join(dir, PKI_FILES[file]);
}

export async function writeCertificate(dir: string, file: PkiFile, certificate: X509.X509Certificate): Promise<void> {
  await writeFile(pkiPath(dir, file), certificate.toString('pem') + '\n');
}

/** RFC 7468 label "X509 CRL" (x509's own PEM says "CRL", which OpenSSL rejects). */
export async function writeCrl(dir: string, file: PkiFile, crl: X509.X509Crl): Promise<void> {
  await writeFile(pkiPath(dir, file), x509.PemConverter.encode(crl.rawData, 'X509 CRL') + '\n');
}

export async function writePrivateKey(dir: string, file: PkiFile, key: CryptoKey): Promise<void> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key);
  await writeFile(pkiPath(dir, file), x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n', { mode: 0o600 });
}

export async function readCertificate(dir: string, file: PkiFile): Promise<X509.X509Certificate> {
  return new x509.X509Certificate(await readFile(pkiPath(dir, file), 'utf8'));
}

export async function readSigningKey(dir: string, file: PkiFile): Promise<CryptoKey> {
  const [pkcs8] = x509.PemConverter.decode(await readFile(pkiPath(dir, file), 'utf8'));
  if (!pkcs8) throw new PkiError('PKI_STATE_INVALID', `no PEM block in ${PKI_FILES[file]}`);
  return webcrypto.subtle.importKey('pkcs8', pkcs8, RSA_SHA256, false, ['sign']);
}

/** Synchronous so that statusOf() can re-read the state the CLI may have changed a moment ago. */
export function readState(dir: string): PkiState {
  let text: string;
  try {
    text = readFileSync(pkiPath(dir, 'state'), 'utf8');
  } catch (cause) {
    throw new PkiError('PKI_NOT_INITIALISED', `no test PKI in ${dir} (run "cie-pki init --dir ${dir}")`, {}, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new PkiError('PKI_STATE_INVALID', `${PKI_FILES.state} in ${dir} is not JSON`, {}, { cause });
  }
  if (!isPkiState(parsed)) throw new PkiError('PKI_STATE_INVALID', `${PKI_FILES.state} in ${dir} has an unexpected shape`);
  return parsed;
}

/** Write-then-rename so a concurrent reader sees either the old or the new state, never half. */
export async function writeState(dir: string, state: PkiState): Promise<void> {
  const target = pkiPath(dir, 'state');
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(state, null, 2) + '\n');
  await rename(temporary, target);
}
