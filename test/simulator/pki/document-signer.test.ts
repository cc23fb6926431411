import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initTestPki } from '../../../src/simulator/pki/init-test-pki.js';
import { x509 } from '../../../src/shared/x509.js';
import { CSCA_NAME, DOCUMENT_SIGNER_NAME, loadDocumentSigner } from '../../../src/simulator/pki/document-signer.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'document-signer-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the EF.SOD signing hierarchy of the test PKI', () => {
  it('is created on first use beside an existing authentication PKI, once, even when asked twice at the same time', async () => {
    const pki = await initTestPki(dir);
    expect(await readdir(dir)).not.toContain('document-signer.pem');
    const [first, second] = await Promise.all([loadDocumentSigner(dir), loadDocumentSigner(dir)]);
    const third = await loadDocumentSigner(dir);
    expect(second.certificate.serialNumber).toBe(first.certificate.serialNumber);
    expect(third.cscaCertificate.serialNumber).toBe(first.cscaCertificate.serialNumber);
    expect((await stat(path.join(dir, 'document-signer.key.pem'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'csca.key.pem'))).mode & 0o777).toBe(0o600);
    // A hierarchy of its own: neither certificate is the authentication root's or chains to it.
    const root = new X509Certificate(Buffer.from(pki.rootCertificate.rawData));
    const csca = new X509Certificate(Buffer.from(first.cscaCertificate.rawData));
    expect(csca.subject).not.toBe(root.subject);
    expect(csca.publicKey.equals(root.publicKey)).toBe(false);
  });

  it('is a self-signed CSCA certifying a Document Signer for digital signatures, both RSASSA-PSS SHA-512 as on the real card', async () => {
    const signer = await loadDocumentSigner(dir);
    const csca = new X509Certificate(Buffer.from(signer.cscaCertificate.rawData));
    const ds = new X509Certificate(Buffer.from(signer.certificate.rawData));
    expect(signer.cscaCertificate.subject).toBe(CSCA_NAME);
    expect(signer.certificate.subject).toBe(DOCUMENT_SIGNER_NAME);
    expect(csca.ca).toBe(true);
    expect(csca.verify(csca.publicKey)).toBe(true);
    expect(ds.ca).toBe(false);
    expect(ds.checkIssued(csca)).toBe(true);
    expect(ds.verify(csca.publicKey)).toBe(true);
    expect(signer.certificate.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(signer.certificate.signatureAlgorithm).toMatchObject({ name: 'RSA-PSS', hash: { name: 'SHA-512' }, saltLength: 64 });
    expect(new Date(ds.validTo).getTime()).toBeGreaterThan(Date.now() + 10 * 365 * 24 * 3600 * 1000);
  });
});
