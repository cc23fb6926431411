import { AssertionError } from '../../src/cie/verify/index.js';
import { capitaliseWords, checkCharacter, cieClaims, decodeFiscalCode, identityFromCertificate } from '../../src/cie/identity/index.js';
import { createTestPki, type TestPki } from './fixtures/test-pki.js';

const NOW = new Date('2026-11-23T12:00:00Z');

function codeOf(action: () => unknown): string {
  try {
    action();
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(AssertionError);
    return (error as AssertionError).code;
  }
}

describe('decodeFiscalCode', () => {
  it.each([
    // Known published examples and codes computed with the DM 23/12/1976 algorithm.
    ['RSSMRA85T10A562S', '1985-12-10', 'male', 'A562'],
    ['RSSMRA80A41H501Y', '1980-01-01', 'female', 'H501'],
    ['BNCLRA00B69F205K', '2000-02-29', 'female', 'F205'],
    ['VRDGPP13A01Z404B', '2013-01-01', 'male', 'Z404'],
  ])('decodes %s', (cf, birthDate, gender, placeOfBirth) => {
    expect(decodeFiscalCode(cf, NOW)).toEqual({ code: cf, birthDate, gender, placeOfBirth });
  });

  it('undoes omocodia in the numeric positions but keeps the code as issued', () => {
    expect(decodeFiscalCode('RSSMRA85T10A56NH', NOW)).toEqual({ code: 'RSSMRA85T10A56NH', birthDate: '1985-12-10', gender: 'male', placeOfBirth: 'A562' });
    expect(decodeFiscalCode('RSSMRA85T1LA56NK', NOW).birthDate).toBe('1985-12-10');
  });

  it('chooses the century that gives the most recent date not in the future', () => {
    expect(decodeFiscalCode('MRTMTT25D09F205Z', new Date('2025-04-08T00:00:00Z')).birthDate).toBe('1925-04-09');
    expect(decodeFiscalCode('MRTMTT25D09F205Z', new Date('2025-04-09T00:00:00Z')).birthDate).toBe('2025-04-09');
    expect(decodeFiscalCode('VRDGPP13A01Z404B', new Date('2010-01-01T00:00:00Z')).birthDate).toBe('1913-01-01');
    expect(decodeFiscalCode('RSSMRA85T10A562S', new Date('2090-01-01T00:00:00Z')).birthDate).toBe('2085-12-10');
  });

  it('computes the check character', () => {
    expect(checkCharacter('RSSMRA85T10A562')).toBe('S');
  });

  it.each([
    ['wrong check character', 'RSSMRA85T10A562T'],
    ['too short', 'RSSMRA85T10A562'],
    ['bad month letter', 'RSSMRA85F10A562S'],
    ['letter outside the omocodia set', 'RSSMRA8AT10A562S'],
    ['impossible day', 'RSSMRA85T32A562S'],
    ['company number', '01234567890'],
  ])('rejects a code with %s', (_reason, cf) => {
    expect(codeOf(() => decodeFiscalCode(cf, NOW))).toBe('invalid_fiscal_code');
  });
});

describe('capitaliseWords', () => {
  it('capitalises each word of an upper-case name', () => {
    expect(capitaliseWords("DE ROSSI-D'AMICO")).toBe("De Rossi-D'Amico");
    expect(capitaliseWords('  MARIA   LUISA ')).toBe('Maria Luisa');
  });
});

describe('identityFromCertificate and cieClaims', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await createTestPki();
  });

  it('reads the identity from the certificate subject and the fiscal code', () => {
    const identity = identityFromCertificate(pki.card.certificate, NOW);
    expect(identity).toMatchObject({
      fiscalCode: 'RSSMRA85T10A562S',
      givenName: 'Mario',
      familyName: 'Rossi',
      birthDate: '1985-12-10',
      gender: 'male',
      placeOfBirth: 'A562',
      documentNumber: 'CA12345AB',
      documentIssuer: 'Test Ministry',
    });
    const claims = cieClaims(identity);
    expect(claims).toMatchObject({
      'https://attributes.eid.gov.it/fiscal_number': 'TINIT-RSSMRA85T10A562S',
      given_name: 'Mario',
      family_name: 'Rossi',
      birthdate: '1985-12-10',
      gender: 'male',
      place_of_birth: { locality: 'A562' },
      document_details: { type: 'cartaIdentita', document_number: 'CA12345AB', issuer: { name: 'Test Ministry' } },
    });
    expect((claims.document_details as Record<string, string>).date_of_expiry).toBe(pki.card.certificate.notAfter.toISOString().slice(0, 10));
  });

  it('accepts a TINIT- prefixed common name', async () => {
    const { certificate } = await pki.issueCard({ commonName: 'TINIT-RSSMRA80A41H501Y', givenName: 'MARIA', serialNumber: 'IDCIT-CA99999ZZ' });
    expect(identityFromCertificate(certificate, NOW)).toMatchObject({ fiscalCode: 'RSSMRA80A41H501Y', gender: 'female', documentNumber: 'CA99999ZZ' });
  });

  it('rejects a certificate whose common name is not a valid fiscal code', async () => {
    const { certificate } = await pki.issueCard({ commonName: 'RSSMRA85T10A562X' });
    expect(codeOf(() => identityFromCertificate(certificate, NOW))).toBe('invalid_fiscal_code');
  });

  it('rejects a certificate without a card number', async () => {
    const { certificate } = await pki.issueCard({ serialNumber: 'IDCIT-' });
    expect(codeOf(() => identityFromCertificate(certificate, NOW))).toBe('missing_identity');
  });
});
