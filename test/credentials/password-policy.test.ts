import { MAX_PASSWORD_LENGTH, passwordViolations } from '../../src/credentials/password-policy.js';

describe('password policy', () => {
  test('the real service\'s rules: 10 characters, an upper-case letter, a digit', () => {
    expect(passwordViolations('Girasole2024x')).toEqual([]);
    expect(passwordViolations('Girasole1')).toContain('too_short');
    expect(passwordViolations('girasole2024x')).toContain('no_upper_case');
    expect(passwordViolations('Girasolexyzw')).toContain('no_digit');
  });

  test('stricter: a lower-case letter, not the citizen\'s own identifiers, not a well-known password, bounded length', () => {
    expect(passwordViolations('GIRASOLE2024X')).toContain('no_lower_case');
    expect(passwordViolations('Xrssmra85t10a562s1', { fiscalCode: 'RSSMRA85T10A562S' })).toContain('contains_identity');
    expect(passwordViolations('Mario.rossi1977', { email: 'mario.rossi@example.it' })).toContain('contains_identity');
    expect(passwordViolations('Password123')).toContain('well_known');
    expect(passwordViolations(`Aa1${'x'.repeat(MAX_PASSWORD_LENGTH)}`)).toContain('too_long');
  });

  test('length counts characters, not UTF-16 units, after NFKC', () => {
    // 9 characters, some outside the BMP: too short even though .length is larger.
    expect(passwordViolations('Aa1😀😀😀😀😀😀')).toContain('too_short');
    expect(passwordViolations('Àèìòù12345Z')).toEqual([]);
  });
});
