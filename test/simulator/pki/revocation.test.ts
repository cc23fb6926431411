import { loadTestPki, x509 } from '../../../src/simulator/pki/index.js';
import { createTempPki, issueCard, PKI_CREATION_TIMEOUT_MS } from './pki-fixture.js';
import type { TempPki } from './pki-fixture.js';

let temp: TempPki;

beforeAll(async () => {
  temp = await createTempPki({ crlNextUpdateSeconds: 600 });
}, PKI_CREATION_TIMEOUT_MS);
afterAll(() => temp.remove());

async function issuingCrl(): Promise<InstanceType<typeof x509.X509Crl>> {
  return new x509.X509Crl(await temp.pki.currentCrl('issuing'));
}

describe('revocation state', () => {
  it('moves good → revoked with the reason, and refuses to revoke twice', async () => {
    const { serialNumber } = await issueCard(temp.pki);
    expect(temp.pki.statusOf(serialNumber)).toBe('good');
    await temp.pki.revoke(serialNumber, 'keyCompromise');
    expect(temp.pki.statusOf(serialNumber)).toBe('revoked');
    await expect(temp.pki.revoke(serialNumber)).rejects.toMatchObject({ code: 'PKI_ALREADY_REVOKED' });
    await expect(temp.pki.suspend(serialNumber)).rejects.toMatchObject({ code: 'PKI_ALREADY_REVOKED' });
    await expect(temp.pki.unsuspend(serialNumber)).rejects.toMatchObject({ code: 'PKI_ALREADY_REVOKED' });
  });

  it('moves good → suspended → good, and a suspended certificate may still be revoked', async () => {
    const { serialNumber } = await issueCard(temp.pki);
    await expect(temp.pki.unsuspend(serialNumber)).rejects.toMatchObject({ code: 'PKI_NOT_SUSPENDED' });
    await temp.pki.suspend(serialNumber);
    expect(temp.pki.statusOf(serialNumber)).toBe('suspended');
    await expect(temp.pki.suspend(serialNumber)).rejects.toMatchObject({ code: 'PKI_ALREADY_SUSPENDED' });
    await temp.pki.unsuspend(serialNumber);
    expect(temp.pki.statusOf(serialNumber)).toBe('good');
    await temp.pki.suspend(serialNumber);
    await temp.pki.revoke(serialNumber, 'cessationOfOperation');
    expect(temp.pki.statusOf(serialNumber)).toBe('revoked');
  });

  it('answers unknown for serials it never issued and refuses to change them', async () => {
    expect(temp.pki.statusOf('0123456789abcdef')).toBe('unknown');
    await expect(temp.pki.revoke('0123456789abcdef')).rejects.toMatchObject({ code: 'PKI_UNKNOWN_SERIAL' });
    expect(() => temp.pki.statusOf('not-hex')).toThrow(expect.objectContaining({ code: 'PKI_INVALID_SERIAL' }));
  });

  it('accepts serials with colons, upper case and leading zero bytes', async () => {
    const { serialNumber } = await issueCard(temp.pki);
    const decorated = `00:${serialNumber.toUpperCase().match(/../g)!.join(':')}`;
    await temp.pki.suspend(decorated);
    expect(temp.pki.statusOf(serialNumber)).toBe('suspended');
  });

  it('shares the state through the directory with another instance (as the CLI does)', async () => {
    const { serialNumber } = await issueCard(temp.pki);
    const other = await loadTestPki(temp.dir);
    expect(other.statusOf(serialNumber)).toBe('good');
    await other.revoke(serialNumber, 'superseded');
    expect(temp.pki.statusOf(serialNumber)).toBe('revoked');
  });

  it('keeps concurrent changes from separate instances', async () => {
    const cards = await Promise.all([issueCard(temp.pki), issueCard(temp.pki), issueCard(temp.pki)]);
    const other = await loadTestPki(temp.dir);
    await Promise.all(cards.map((card, index) => (index % 2 === 0 ? temp.pki : other).revoke(card.serialNumber)));
    for (const card of cards) expect(temp.pki.statusOf(card.serialNumber)).toBe('revoked');
  });
});

describe('CRLs', () => {
  it('lists a revoked serial with its reason and revocation date', async () => {
    const { serialNumber } = await issueCard(temp.pki);
    const before = Date.now();
    await temp.pki.revoke(serialNumber, 'affiliationChanged');
    const entry = (await issuingCrl()).findRevoked(serialNumber);
    expect(entry).not.toBeNull();
    expect(entry?.reason).toBe(x509.X509CrlReason.affiliationChanged);
    expect(Math.abs(entry!.revocationDate.getTime() - before)).toBeLessThan(60_000);
  });

  it('lists a suspended serial as certificateHold and drops it when the hold is lifted', async () => {
    const { serialNumber } = await issueCard(temp.pki);
    await temp.pki.suspend(serialNumber);
    expect((await issuingCrl()).findRevoked(serialNumber)?.reason).toBe(x509.X509CrlReason.certificateHold);
    await temp.pki.unsuspend(serialNumber);
    expect((await issuingCrl()).findRevoked(serialNumber)).toBeNull();
  });

  it('does not list good certificates', async () => {
    const { serialNumber } = await issueCard(temp.pki);
    expect((await issuingCrl()).findRevoked(serialNumber)).toBeNull();
  });

  it('is signed by its CA, names it, and has the configured nextUpdate and a growing CRL number', async () => {
    const first = await issuingCrl();
    const second = await issuingCrl();
    expect(await first.verify({ publicKey: temp.pki.issuingCaCertificate.publicKey })).toBe(true);
    expect(first.issuer).toBe(temp.pki.issuingCaCertificate.subject);
    expect(first.nextUpdate!.getTime() - first.thisUpdate.getTime()).toBe(600_000);
    const number = (crl: InstanceType<typeof x509.X509Crl>): bigint =>
      BigInt(`0x${Buffer.from(crl.getExtension('2.5.29.20')!.value).subarray(2).toString('hex')}`);
    expect(number(second)).toBeGreaterThanOrEqual(number(first));
    const authority = first.getExtension(x509.AuthorityKeyIdentifierExtension);
    expect(authority?.keyId).toBe(temp.pki.issuingCaCertificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId);
  });

  // Last on purpose: it revokes this file's issuing CA.
  it('puts a revoked issuing CA on the root CRL only', async () => {
    const serial = temp.pki.issuingCaCertificate.serialNumber;
    expect(temp.pki.statusOf(serial)).toBe('good');
    expect(new x509.X509Crl(await temp.pki.currentCrl('root')).entries).toHaveLength(0);
    await temp.pki.revoke(serial, 'keyCompromise');
    const rootCrl = new x509.X509Crl(await temp.pki.currentCrl('root'));
    expect(await rootCrl.verify({ publicKey: temp.pki.rootCertificate.publicKey })).toBe(true);
    expect(rootCrl.findRevoked(serial)?.reason).toBe(x509.X509CrlReason.keyCompromise);
    expect(new x509.X509Crl(await temp.pki.currentCrl('issuing')).findRevoked(serial)).toBeNull();
  });
});
