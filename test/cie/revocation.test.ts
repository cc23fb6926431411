import { x509 } from '../../src/shared/x509.js';
import { OCSPResponseStatus } from '@peculiar/asn1-ocsp';
import { createRevocationChecker, type RevocationConfig } from '../../src/cie/revocation/index.js';
import { BoundedCache } from '../../src/shared/bounded-cache.js';
import { AssertionError } from '../../src/cie/verify/index.js';
import { createCrl, fakeCrlServer } from './fixtures/fake-crl.js';
import { fakeOcspResponder, type OcspBehaviour } from './fixtures/fake-ocsp.js';
import { createTestPki, issue, type TestPki } from './fixtures/test-pki.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(AssertionError);
    return (error as AssertionError).code;
  }
}

async function ocspOutcome(behaviour: OcspBehaviour | 'down' | 'http-500', config: Partial<RevocationConfig> = {}): Promise<string> {
  const responder = fakeOcspResponder(pki.intermediate, () => behaviour);
  const checker = createRevocationChecker({ mode: 'ocsp', fetch: responder.fetch, ...config });
  return codeOf(checker.check(pki.card.certificate, pki.intermediate.certificate));
}

describe('OCSP', () => {
  it('accepts GOOD signed by the issuing CA itself', async () => {
    expect(await ocspOutcome({})).toBe('accepted');
  });

  it('accepts GOOD signed by the CA itself without embedding its certificate', async () => {
    expect(await ocspOutcome({ embedSigner: false })).toBe('accepted');
  });

  it('accepts GOOD signed by a responder the issuing CA delegated (EKU OCSPSigning)', async () => {
    expect(await ocspOutcome({ signer: pki.responder })).toBe('accepted');
  });

  it('rejects a responder certificate from another CA, even with EKU OCSPSigning', async () => {
    expect(await ocspOutcome({ signer: pki.rogueResponder })).toBe('ocsp_unauthorised_responder');
  });

  it('rejects a certificate of the issuing CA without EKU OCSPSigning as responder', async () => {
    const notResponder = await issue({ subject: 'CN=Not a responder, C=IT', issuer: pki.intermediate });
    expect(await ocspOutcome({ signer: notResponder })).toBe('ocsp_unauthorised_responder');
  });

  it('rejects a response signed by the root (not the issuer of the card)', async () => {
    expect(await ocspOutcome({ signer: pki.root })).toBe('ocsp_unauthorised_responder');
  });

  it('rejects a bit-flipped response signature', async () => {
    expect(await ocspOutcome({ flipSignatureBit: true })).toBe('ocsp_invalid_signature');
  });

  it.each([
    ['revoked', 'certificate_revoked'],
    ['hold', 'certificate_suspended'],
    ['unknown', 'revocation_unknown'],
  ] as const)('maps status %s to %s', async (status, code) => {
    expect(await ocspOutcome({ status })).toBe(code);
  });

  it('rejects a response whose nextUpdate has passed', async () => {
    expect(await ocspOutcome({ thisUpdate: new Date(Date.now() - 7200_000), nextUpdate: new Date(Date.now() - 3600_000) })).toBe('ocsp_stale');
  });

  it('rejects a response without nextUpdate older than the maximum age', async () => {
    expect(await ocspOutcome({ thisUpdate: new Date(Date.now() - 20 * 60_000), nextUpdate: null })).toBe('ocsp_stale');
    expect(await ocspOutcome({ thisUpdate: new Date(Date.now() - 60_000), nextUpdate: null })).toBe('accepted');
  });

  it('rejects a response produced in the future beyond the clock skew', async () => {
    expect(await ocspOutcome({ thisUpdate: new Date(Date.now() + 3600_000) })).toBe('ocsp_stale');
  });

  it('rejects a wrong or missing nonce', async () => {
    expect(await ocspOutcome({ nonce: 'wrong' })).toBe('ocsp_nonce_mismatch');
    expect(await ocspOutcome({ nonce: 'omit' })).toBe('ocsp_nonce_mismatch');
  });

  it('rejects an answer about another certificate', async () => {
    expect(await ocspOutcome({ wrongSerial: true })).toBe('ocsp_certid_mismatch');
  });

  it('rejects an answer about the same serial number from another issuer', async () => {
    expect(await ocspOutcome({ wrongIssuerHash: true })).toBe('ocsp_certid_mismatch');
  });

  it('finds a responder named by key hash, and still checks its authority', async () => {
    expect(await ocspOutcome({ responderIdByKey: true, signer: pki.responder })).toBe('accepted');
    expect(await ocspOutcome({ responderIdByKey: true, signer: pki.rogueResponder })).toBe('ocsp_unauthorised_responder');
  });

  it('fails closed when the responder is down, answers 500 or tryLater', async () => {
    expect(await ocspOutcome('down')).toBe('revocation_unavailable');
    expect(await ocspOutcome('http-500')).toBe('revocation_unavailable');
    expect(await ocspOutcome({ responseStatus: OCSPResponseStatus.tryLater })).toBe('revocation_unavailable');
  });

  it('fails open only when configured, and never for a wrong answer', async () => {
    expect(await ocspOutcome('down', { failOpen: true })).toBe('accepted');
    expect(await ocspOutcome({ status: 'revoked' }, { failOpen: true })).toBe('certificate_revoked');
    expect(await ocspOutcome({ signer: pki.rogueResponder }, { failOpen: true })).toBe('ocsp_unauthorised_responder');
  });

  it('rejects a response larger than the limit', async () => {
    expect(await ocspOutcome({}, { maxOcspResponseBytes: 100 })).toBe('revocation_unavailable');
  });

  it('gives up after the timeout', async () => {
    const hanging = ((_url: string, init?: RequestInit) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof fetch;
    const checker = createRevocationChecker({ mode: 'ocsp', fetch: hanging, timeoutMs: 50 });
    expect(await codeOf(checker.check(pki.card.certificate, pki.intermediate.certificate))).toBe('revocation_unavailable');
  });

  it('caches a GOOD answer until nextUpdate when that comes before the cache cap', async () => {
    let clock = Date.now();
    const responder = fakeOcspResponder(pki.intermediate, () => ({ nextUpdate: new Date(Date.now() + 600_000) }));
    const checker = createRevocationChecker({ mode: 'ocsp', fetch: responder.fetch, now: () => new Date(clock), cacheMaxAgeSeconds: 3600 });
    await checker.check(pki.card.certificate, pki.intermediate.certificate);
    await checker.check(pki.card.certificate, pki.intermediate.certificate);
    expect(responder.requests).toBe(1);
    clock += 601_000;
    await checker.check(pki.card.certificate, pki.intermediate.certificate);
    expect(responder.requests).toBe(2);
  });

  it('reuses a GOOD answer for at most the cache cap (default 300 s) however late its nextUpdate', async () => {
    let clock = Date.now();
    const responder = fakeOcspResponder(pki.intermediate, () => ({ nextUpdate: new Date(Date.now() + 3600_000) }));
    const checker = createRevocationChecker({ mode: 'ocsp', fetch: responder.fetch, now: () => new Date(clock) });
    await checker.check(pki.card.certificate, pki.intermediate.certificate);
    clock += 299_000;
    await checker.check(pki.card.certificate, pki.intermediate.certificate);
    expect(responder.requests).toBe(1);
    clock += 2_000;
    await checker.check(pki.card.certificate, pki.intermediate.certificate);
    expect(responder.requests).toBe(2);
  });

  it('asks every time with a cache cap of 0', async () => {
    const responder = fakeOcspResponder(pki.intermediate, () => ({}));
    const checker = createRevocationChecker({ mode: 'ocsp', fetch: responder.fetch, cacheMaxAgeSeconds: 0 });
    await checker.check(pki.card.certificate, pki.intermediate.certificate);
    await checker.check(pki.card.certificate, pki.intermediate.certificate);
    expect(responder.requests).toBe(2);
  });

  it('does not cache a bad answer', async () => {
    const responder = fakeOcspResponder(pki.intermediate, () => ({ status: 'revoked' }));
    const checker = createRevocationChecker({ mode: 'ocsp', fetch: responder.fetch });
    await codeOf(checker.check(pki.card.certificate, pki.intermediate.certificate));
    await codeOf(checker.check(pki.card.certificate, pki.intermediate.certificate));
    expect(responder.requests).toBe(2);
  });

  it('uses the configured responder URL instead of the AIA', async () => {
    const urls: string[] = [];
    const responder = fakeOcspResponder(pki.intermediate, () => ({}));
    const recording = ((url: string, init?: RequestInit) => {
      urls.push(url);
      return responder.fetch(url, init);
    }) as typeof fetch;
    await createRevocationChecker({ mode: 'ocsp', fetch: recording, ocspUrl: 'http://other.invalid/ocsp' }).check(pki.card.certificate, pki.intermediate.certificate);
    expect(urls).toEqual(['http://other.invalid/ocsp']);
  });
});

describe('CRL', () => {
  const crlOutcome = async (body: () => Uint8Array<ArrayBuffer> | 'down', config: Partial<RevocationConfig> = {}) => {
    const server = fakeCrlServer(body);
    return codeOf(createRevocationChecker({ mode: 'crl', fetch: server.fetch, ...config }).check(pki.card.certificate, pki.intermediate.certificate));
  };

  it('accepts a certificate absent from a current CRL signed by the issuer', async () => {
    const crl = await createCrl(pki.intermediate, pki.intermediate.certificate.subject);
    expect(await crlOutcome(() => crl)).toBe('accepted');
  });

  it('rejects a certificate listed as revoked, and one on hold as suspended', async () => {
    const revoked = await createCrl(pki.intermediate, pki.intermediate.certificate.subject, { revoked: [{ certificate: pki.card.certificate }] });
    expect(await crlOutcome(() => revoked)).toBe('certificate_revoked');
    const held = await createCrl(pki.intermediate, pki.intermediate.certificate.subject, {
      revoked: [{ certificate: pki.card.certificate, reason: x509.X509CrlReason.certificateHold }],
    });
    expect(await crlOutcome(() => held)).toBe('certificate_suspended');
  });

  it('rejects a CRL not signed by the issuer', async () => {
    const forged = await createCrl(pki.rogueCa, pki.intermediate.certificate.subject);
    expect(await crlOutcome(() => forged)).toBe('crl_invalid_signature');
  });

  it('rejects an out-of-date CRL', async () => {
    const old = await createCrl(pki.intermediate, pki.intermediate.certificate.subject, {
      thisUpdate: new Date(Date.now() - 7200_000),
      nextUpdate: new Date(Date.now() - 3600_000),
    });
    expect(await crlOutcome(() => old)).toBe('crl_stale');
  });

  it('fails closed when the CRL cannot be fetched, open only if configured', async () => {
    expect(await crlOutcome(() => 'down')).toBe('revocation_unavailable');
    expect(await crlOutcome(() => 'down', { failOpen: true })).toBe('accepted');
  });

  it('caches the CRL until nextUpdate', async () => {
    const crl = await createCrl(pki.intermediate, pki.intermediate.certificate.subject);
    const server = fakeCrlServer(() => crl);
    const checker = createRevocationChecker({ mode: 'crl', fetch: server.fetch });
    await checker.check(pki.card.certificate, pki.intermediate.certificate);
    await checker.check(pki.card.certificate, pki.intermediate.certificate);
    expect(server.requests).toBe(1);
  });

  it('reuses a CRL for at most the cache cap: a card listed in the next CRL is refused once the cap has passed', async () => {
    let clock = Date.now();
    let crl = await createCrl(pki.intermediate, pki.intermediate.certificate.subject, { nextUpdate: new Date(Date.now() + 86_400_000) });
    const server = fakeCrlServer(() => crl);
    const checker = createRevocationChecker({ mode: 'crl', fetch: server.fetch, now: () => new Date(clock) });
    await checker.check(pki.card.certificate, pki.intermediate.certificate);
    crl = await createCrl(pki.intermediate, pki.intermediate.certificate.subject, { revoked: [{ certificate: pki.card.certificate }] });
    clock += 299_000;
    expect(await codeOf(checker.check(pki.card.certificate, pki.intermediate.certificate))).toBe('accepted');
    clock += 2_000;
    expect(await codeOf(checker.check(pki.card.certificate, pki.intermediate.certificate))).toBe('certificate_revoked');
    expect(server.requests).toBe(2);
  });
});

describe('ocsp-then-crl', () => {
  it('falls back to the CRL only when OCSP gives no answer', async () => {
    const revoked = await createCrl(pki.intermediate, pki.intermediate.certificate.subject, { revoked: [{ certificate: pki.card.certificate }] });
    const ocsp = fakeOcspResponder(pki.intermediate, () => 'down');
    const crl = fakeCrlServer(() => revoked);
    const both = ((url: string, init?: RequestInit) => (url.includes('ocsp') ? ocsp.fetch(url, init) : crl.fetch(url, init))) as typeof fetch;
    const checker = createRevocationChecker({ mode: 'ocsp-then-crl', fetch: both });
    expect(await codeOf(checker.check(pki.card.certificate, pki.intermediate.certificate))).toBe('certificate_revoked');
    expect(crl.requests).toBe(1);
  });

  it('does not fall back when OCSP answered wrongly', async () => {
    const ocsp = fakeOcspResponder(pki.intermediate, () => ({ signer: pki.rogueResponder }));
    const crl = fakeCrlServer(() => 'down');
    const both = ((url: string, init?: RequestInit) => (url.includes('ocsp') ? ocsp.fetch(url, init) : crl.fetch(url, init))) as typeof fetch;
    const checker = createRevocationChecker({ mode: 'ocsp-then-crl', fetch: both });
    expect(await codeOf(checker.check(pki.card.certificate, pki.intermediate.certificate))).toBe('ocsp_unauthorised_responder');
    expect(crl.requests).toBe(0);
  });
});

describe('BoundedCache', () => {
  it('evicts the oldest entry beyond its size and forgets expired entries', () => {
    const cache = new BoundedCache<number>(2);
    cache.set('a', 1, 100);
    cache.set('b', 2, 100);
    cache.set('c', 3, 100);
    expect(cache.size).toBe(2);
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.get('c', 0)).toBe(3);
    expect(cache.get('c', 100)).toBeUndefined();
  });

  it('deletes an entry on request', () => {
    const cache = new BoundedCache<string>(2);
    cache.set('a', 'x', Number.POSITIVE_INFINITY);
    cache.delete('a');
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
