import { KeyObject } from 'node:crypto';
import { createRevocationChecker } from '../../src/cie/revocation/index.js';
import { AssertionError, MAX_ASSERTION_BYTES } from '../../src/cie/verify/index.js';
import { errorMessage } from '../../src/shared/errors/error-table.js';
import { x509 } from '../../src/shared/x509.js';
import { ORIGIN, buildAssertion, type AssertionFields } from './fixtures/assertions.js';
import { createCrl, fakeCrlServer } from './fixtures/fake-crl.js';
import { cardExtensions, cardSubject, createTestPki, issue, type CardOptions, type Issued, type TestPki } from './fixtures/test-pki.js';
import { createHarness, rejectionOf, type Harness } from './fixtures/verifier-harness.js';

const DAY = 86_400_000;
let pki: TestPki;
let cardKey: KeyObject;

beforeAll(async () => {
  pki = await createTestPki();
  cardKey = KeyObject.from(pki.card.keys.privateKey);
});

/** A fresh challenge and a correctly signed assertion for `card`, with optional field overrides. */
function assertionFor(harness: Harness, card: Issued = pki.card, overrides: Partial<AssertionFields> = {}, key = cardKey): string {
  const record = harness.challenges.issue();
  return JSON.stringify(buildAssertion(record, card.certificate.rawData, key, overrides));
}

async function cardWith(options: CardOptions): Promise<Issued> {
  return pki.issueCard(options);
}

describe('accepted assertion', () => {
  it('returns the identity and audits the acceptance without personal data', async () => {
    const harness = createHarness(pki);
    const verified = await harness.verify(assertionFor(harness), { boundTo: 'interaction-1' });
    expect(verified.boundTo).toBe('interaction-1');
    expect(verified.identity.fiscalCode).toBe('RSSMRA85T10A562S');
    expect(verified.certificate.serialNumber).toBe(pki.card.certificate.serialNumber);
    expect(harness.events).toEqual([
      {
        type: 'cie.assertion.accepted',
        certificateSerial: pki.card.certificate.serialNumber,
        issuer: pki.intermediate.certificate.subject,
        boundTo: 'interaction-1',
        at: expect.any(String),
      },
    ]);
    expect(JSON.stringify(harness.events)).not.toMatch(/RSSMRA|MARIO|ROSSI/i);
  });

  it('accepts a compatible minor format version and an EKU with clientAuth', async () => {
    const harness = createHarness(pki);
    expect(await rejectionOf(harness, assertionFor(harness, pki.card, { format: 'cie-assertion:1.7' }))).toBe('accepted');
    const withEku = await cardWith({ extendedKeyUsage: [x509.ExtendedKeyUsage.clientAuth] });
    expect(await rejectionOf(harness, assertionFor(harness, withEku))).toBe('accepted');
  });
});

describe('each validator rejects with its own code', () => {
  it('input: oversized and truncated', async () => {
    const harness = createHarness(pki);
    expect(await rejectionOf(harness, 'x'.repeat(MAX_ASSERTION_BYTES + 1))).toBe('assertion_too_large');
    const valid = assertionFor(harness);
    expect(await rejectionOf(harness, valid.slice(0, valid.length - 10))).toBe('malformed_assertion');
    expect(await rejectionOf(harness, JSON.stringify({ ...JSON.parse(valid), signature: 5 }))).toBe('malformed_assertion');
    expect(await rejectionOf(harness, '[]')).toBe('malformed_assertion');
  });

  it('challenge: unknown, replayed, expired, other interaction', async () => {
    const harness = createHarness(pki);
    const valid = assertionFor(harness);
    expect(await rejectionOf(harness, valid)).toBe('accepted');
    expect(await rejectionOf(harness, valid)).toBe('challenge_not_found');

    const expired = harness.challenges.issue('interaction-1', -1);
    expect(await rejectionOf(harness, JSON.stringify(buildAssertion(expired, pki.card.certificate.rawData, cardKey)))).toBe('challenge_expired');

    expect(await rejectionOf(harness, assertionFor(harness), { boundTo: 'someone-else' })).toBe('challenge_interaction_mismatch');
    expect(harness.events.at(-1)?.boundTo).toBe('interaction-1');
  });

  it('format: another major version', async () => {
    const harness = createHarness(pki);
    expect(await rejectionOf(harness, assertionFor(harness, pki.card, { format: 'cie-assertion:2.0' }))).toBe('unsupported_format');
    expect(await rejectionOf(harness, assertionFor(harness, pki.card, { format: 'web-eid:1.0' }))).toBe('unsupported_format');
  });

  it('origin: an assertion made for another site', async () => {
    const harness = createHarness(pki);
    const record = harness.challenges.issue();
    const forEvil = buildAssertion(record, pki.card.certificate.rawData, cardKey, { origin: 'https://evil.example' }, 'https://evil.example');
    expect(await rejectionOf(harness, JSON.stringify(forEvil))).toBe('origin_mismatch');
    const trailingSlash = buildAssertion(harness.challenges.issue(), pki.card.certificate.rawData, cardKey, { origin: `${ORIGIN}/` });
    expect(await rejectionOf(harness, JSON.stringify(trailingSlash))).toBe('origin_mismatch');
  });

  it('signature: signed over another origin, bit-flipped, wrong key', async () => {
    const harness = createHarness(pki);
    const signedForEvil = buildAssertion(harness.challenges.issue(), pki.card.certificate.rawData, cardKey, {}, 'https://evil.example');
    expect(await rejectionOf(harness, JSON.stringify(signedForEvil))).toBe('invalid_signature');

    const fields = buildAssertion(harness.challenges.issue(), pki.card.certificate.rawData, cardKey);
    const signature = Buffer.from(fields.signature, 'base64url');
    signature[100]! ^= 0x08;
    expect(await rejectionOf(harness, JSON.stringify({ ...fields, signature: signature.toString('base64url') }))).toBe('invalid_signature');

    const otherKey = KeyObject.from(pki.rogueCa.keys.privateKey);
    expect(await rejectionOf(harness, assertionFor(harness, pki.card, {}, otherKey))).toBe('invalid_signature');
  });

  it('algorithm: not on the allow-list', async () => {
    const harness = createHarness(pki);
    expect(await rejectionOf(harness, assertionFor(harness, pki.card, { algorithm: 'ES256' }))).toBe('unsupported_algorithm');
    expect(await rejectionOf(harness, assertionFor(harness, pki.card, { algorithm: 'none' }))).toBe('unsupported_algorithm');
    const noRs256 = createHarness(pki, { allowedAlgorithms: [] });
    expect(await rejectionOf(noRs256, assertionFor(noRs256))).toBe('unsupported_algorithm');
  });

  it('certificate: not DER', async () => {
    const harness = createHarness(pki);
    expect(await rejectionOf(harness, assertionFor(harness, pki.card, { certificate: Buffer.from('not a certificate').toString('base64') }))).toBe(
      'malformed_certificate',
    );
    expect(await rejectionOf(harness, assertionFor(harness, pki.card, { certificate: '***' }))).toBe('malformed_certificate');
  });

  it('validity: expired and not yet valid', async () => {
    const harness = createHarness(pki);
    const expired = await cardWith({ notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) });
    expect(await rejectionOf(harness, assertionFor(harness, expired))).toBe('certificate_expired');
    const future = await cardWith({ notBefore: new Date(Date.now() + DAY), notAfter: new Date(Date.now() + 400 * DAY) });
    expect(await rejectionOf(harness, assertionFor(harness, future))).toBe('certificate_not_yet_valid');
  });

  it('key usage: no digitalSignature, or an EKU without clientAuth', async () => {
    const harness = createHarness(pki);
    const encipherOnly = await cardWith({ keyUsage: x509.KeyUsageFlags.keyEncipherment });
    expect(await rejectionOf(harness, assertionFor(harness, encipherOnly))).toBe('wrong_key_usage');
    const emailOnly = await cardWith({ extendedKeyUsage: [x509.ExtendedKeyUsage.emailProtection] });
    expect(await rejectionOf(harness, assertionFor(harness, emailOnly))).toBe('wrong_key_usage');
  });

  it('end entity: a certificate with basicConstraints cA=true or a CA key usage is refused, cA=false is accepted', async () => {
    const harness = createHarness(pki);
    const caFlag = await cardWith({ basicConstraintsCa: true });
    expect(await rejectionOf(harness, assertionFor(harness, caFlag))).toBe('not_end_entity_certificate');
    const certSign = await cardWith({ keyUsage: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign });
    expect(await rejectionOf(harness, assertionFor(harness, certSign))).toBe('not_end_entity_certificate');
    const crlSign = await cardWith({ keyUsage: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.cRLSign });
    expect(await rejectionOf(harness, assertionFor(harness, crlSign))).toBe('not_end_entity_certificate');
    const explicitEndEntity = await cardWith({ basicConstraintsCa: false });
    expect(await rejectionOf(harness, assertionFor(harness, explicitEndEntity))).toBe('accepted');
  });

  it('policy: not the CIE authentication policy', async () => {
    const harness = createHarness(pki);
    const cns = await cardWith({ policies: ['1.3.76.16.2.1'] });
    expect(await rejectionOf(harness, assertionFor(harness, cns))).toBe('wrong_certificate_policy');
  });

  it('chain: self-signed, unknown CA, intermediate not configured', async () => {
    const harness = createHarness(pki);
    const selfSigned = await issue({ subject: cardSubject(), keys: pki.card.keys, extensions: cardExtensions() });
    expect(await rejectionOf(harness, assertionFor(harness, selfSigned))).toBe('self_signed_certificate');
    const rogue = await pki.issueCard({}, pki.rogueCa);
    expect(await rejectionOf(harness, assertionFor(harness, rogue))).toBe('untrusted_certificate');
    const noIntermediate = createHarness(pki, { intermediates: [] });
    expect(await rejectionOf(noIntermediate, assertionFor(noIntermediate))).toBe('untrusted_certificate');
  });

  it('revocation via OCSP: revoked, unauthorised responder, stale, responder down', async () => {
    const harness = createHarness(pki);
    harness.ocsp.behaviour = { status: 'revoked' };
    expect(await rejectionOf(harness, assertionFor(harness))).toBe('certificate_revoked');
    harness.ocsp.behaviour = { signer: pki.rogueResponder };
    expect(await rejectionOf(harness, assertionFor(harness))).toBe('ocsp_unauthorised_responder');
    harness.ocsp.behaviour = { thisUpdate: new Date(Date.now() - 2 * DAY), nextUpdate: new Date(Date.now() - DAY) };
    expect(await rejectionOf(harness, assertionFor(harness))).toBe('ocsp_stale');
    harness.ocsp.behaviour = 'down';
    expect(await rejectionOf(harness, assertionFor(harness))).toBe('revocation_unavailable');
    expect(errorMessage('revocation_unavailable', 'it')).toBe('Non è possibile verificare la validità della CIE, riprova più tardi.');
  });

  it('revocation via CRL: revoked', async () => {
    const crl = await createCrl(pki.intermediate, pki.intermediate.certificate.subject, { revoked: [{ certificate: pki.card.certificate }] });
    const harness = createHarness(pki, { revocation: createRevocationChecker({ mode: 'crl', fetch: fakeCrlServer(() => crl).fetch }) });
    expect(await rejectionOf(harness, assertionFor(harness))).toBe('certificate_revoked');
  });

  it('identity: a common name that is not a valid fiscal code', async () => {
    const harness = createHarness(pki);
    const badCf = await cardWith({ commonName: 'RSSMRA85T10A562X' });
    expect(await rejectionOf(harness, assertionFor(harness, badCf))).toBe('invalid_fiscal_code');
  });

  it('puts the interaction in the error details once the challenge is known', async () => {
    const harness = createHarness(pki);
    const error = await harness.verify(assertionFor(harness, pki.card, { algorithm: 'ES256' }), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssertionError);
    expect((error as AssertionError).details).toEqual({ boundTo: 'interaction-1' });
  });
});

describe('configuration', () => {
  it('refuses an allow-list naming an algorithm it cannot verify', () => {
    expect(() => createHarness(pki, { allowedAlgorithms: ['RS256', 'ES256'] })).toThrow(/ES256/);
  });
});
