import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { addYears, wholeSeconds } from './dates.js';
import { withFileLock } from './file-lock.js';
import { PkiError } from './pki-error.js';
import { randomSerialHex } from './serial-number.js';
import { x509 } from '../../shared/x509.js';
import type { X509 } from '../../shared/x509.js';

/**
 * The passive-authentication PKI of EF.SOD: a Country Signing CA (CSCA) and the Document Signer (DS) it
 * certifies. A hierarchy of its own, apart from the authentication root, as on the real card (protocol
 * §1.5: "Italian Country Signer CA" → "eIdentityCardSigner"). Names follow the real sample with "(TEST)".
 */
const MINISTRY = 'C=IT, O=Ministry of Interior';
export const CSCA_NAME = `${MINISTRY}, OU=National Electronic Center of Italian National Police, CN=Italian Country Signer CA (TEST)`;
export const DOCUMENT_SIGNER_NAME = `${MINISTRY}, OU=Direz. Centr. per i Servizi Demografici - CNSD, 2.5.4.5=00012, CN=eIdentityCardSigner (TEST)`;
/** The real CSCA is RSA-4096; 3072 keeps `init` fast (as for the authentication root). The real DS is RSA-2048. */
const CSCA_KEY_BITS = 3072;
const DOCUMENT_SIGNER_KEY_BITS = 2048;
const CSCA_VALIDITY_YEARS = 20;
/** Real DS: 2022-10-06 → 2034-01-06; it must outlive the 10-year documents it signs. */
const DOCUMENT_SIGNER_VALIDITY_YEARS = 11;
/** RSASSA-PSS, SHA-512, MGF1-SHA-512, salt 64: the real DS certificate's and SOD's algorithm (§1.5). */
export const RSA_PSS_SHA512 = { name: 'RSA-PSS', hash: 'SHA-512' } as const;
export const PSS_SALT_LENGTH = 64;
const SIGNING = { name: 'RSA-PSS', saltLength: PSS_SALT_LENGTH } as const;

export const DOCUMENT_SIGNER_FILES = {
  cscaCertificate: 'csca.pem',
  cscaKey: 'csca.key.pem',
  documentSignerCertificate: 'document-signer.pem',
  documentSignerKey: 'document-signer.key.pem',
  lock: 'document-signer.lock',
} as const;

export interface DocumentSigner {
  readonly cscaCertificate: X509.X509Certificate;
  readonly certificate: X509.X509Certificate;
  readonly key: CryptoKey;
}

const path = (dir: string, file: keyof typeof DOCUMENT_SIGNER_FILES) => join(dir, DOCUMENT_SIGNER_FILES[file]);

function generateKeys(modulusLength: number): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey({ ...RSA_PSS_SHA512, modulusLength, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

async function writeKey(file: string, key: CryptoKey): Promise<void> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key);
  await writeFile(file, x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n', { mode: 0o600 });
}

async function readKey(file: string): Promise<CryptoKey> {
  const [pkcs8] = x509.PemConverter.decode(await readFile(file, 'utf8'));
  if (!pkcs8) throw new PkiError('PKI_STATE_INVALID', `no PEM block in ${file}`);
  return webcrypto.subtle.importKey('pkcs8', pkcs8, RSA_PSS_SHA512, false, ['sign']);
}

async function create(dir: string, now: Date): Promise<void> {
  const notBefore = wholeSeconds(now);
  const cscaKeys = await generateKeys(CSCA_KEY_BITS);
  const csca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialHex(),
    name: CSCA_NAME,
    notBefore,
    notAfter: addYears(notBefore, CSCA_VALIDITY_YEARS),
    keys: cscaKeys,
    signingAlgorithm: SIGNING,
    extensions: [
      // pathLen 0: the CSCA certifies Document Signers only.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(cscaKeys.publicKey),
    ],
  });
  const signerKeys = await generateKeys(DOCUMENT_SIGNER_KEY_BITS);
  const documentSigner = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: DOCUMENT_SIGNER_NAME,
    issuer: csca.subjectName,
    notBefore,
    notAfter: addYears(notBefore, DOCUMENT_SIGNER_VALIDITY_YEARS),
    publicKey: signerKeys.publicKey,
    signingKey: cscaKeys.privateKey,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await x509.AuthorityKeyIdentifierExtension.create(csca.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(signerKeys.publicKey),
    ],
  });
  await writeFile(path(dir, 'cscaCertificate'), csca.toString('pem') + '\n');
  await writeKey(path(dir, 'cscaKey'), cscaKeys.privateKey);
  await writeKey(path(dir, 'documentSignerKey'), signerKeys.privateKey);
  // Written last: its presence means the pair is complete.
  await writeFile(path(dir, 'documentSignerCertificate'), documentSigner.toString('pem') + '\n');
}

/**
 * The Document Signer of the test PKI in `dir`, created with its CSCA on first use (so PKI directories made
 * before EF.SOD existed gain one), under a lock so that two processes never make two.
 */
export async function loadDocumentSigner(dir: string, now = new Date()): Promise<DocumentSigner> {
  if (!existsSync(path(dir, 'documentSignerCertificate'))) {
    await withFileLock(path(dir, 'lock'), async () => {
      if (!existsSync(path(dir, 'documentSignerCertificate'))) await create(dir, now);
    });
  }
  return {
    cscaCertificate: new x509.X509Certificate(await readFile(path(dir, 'cscaCertificate'), 'utf8')),
    certificate: new x509.X509Certificate(await readFile(path(dir, 'documentSignerCertificate'), 'utf8')),
    key: await readKey(path(dir, 'documentSignerKey')),
  };
}
