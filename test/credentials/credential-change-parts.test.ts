import { createRequire } from 'node:module';
import { contactChangedMail, maskedAddress } from '../../src/credentials/contact-changed-mail.js';
import { passkeyLabel } from '../../src/credentials/passkey-label.js';
import { normalizeEmail, parseUsername } from '../../src/credentials/usernames.js';

// The small rules behind the account page's changes (docs/account.md, "Changing active credentials").

test('a passkey name: NFC, trimmed, 1–64 code points (not UTF-16 units), nothing invisible', () => {
  expect(passkeyLabel('  Cafe\u0301 ')).toBe('Caf\u00e9');
  expect(passkeyLabel('🔑'.repeat(64))).toBe('🔑'.repeat(64));
  expect(passkeyLabel('🔑'.repeat(65))).toBeUndefined();
  expect(passkeyLabel('<b>x</b>')).toBe('<b>x</b>');
  for (const refused of ['', ' \t ', 'a\u0000b', 'a\nb', 'a\u200bb', 'a\u202eb', 'a\ue000b']) expect(passkeyLabel(refused)).toBeUndefined();
});

test('the old address’s notice names the new address masked, in Italian or English, with no link', () => {
  expect(maskedAddress('mario.nuovo@example.org')).toBe('m***@example.org');
  expect(maskedAddress('è@example.org')).toBe('è***@example.org');
  const it = contactChangedMail('mario.nuovo@example.org', 'it');
  expect(it.subject).toBe('Entra con CIE: il tuo indirizzo è stato cambiato');
  expect(it.text).toContain('m***@example.org');
  const en = contactChangedMail('mario.nuovo@example.org', 'en');
  expect(en.subject).toBe('Entra con CIE: your e-mail address has been changed');
  for (const mail of [it, en]) expect(mail.text).not.toMatch(/https?:|mario\.nuovo/);
});

test('an e-mail address in one canonical form (NFC, lower case) whatever form it was typed in: the contact comparison and the username index see one address', () => {
  const composed = normalizeEmail('Jos\u00e9@Example.it');
  expect(composed).toBe('jos\u00e9@example.it');
  expect(normalizeEmail(' jose\u0301@EXAMPLE.IT ')).toBe(composed);
  expect(parseUsername('jose\u0301@example.it')).toEqual({ kind: 'email', value: composed });
});

test('an address is refused when the mailer would read it as another (a colon makes a group: "x:victim@other.org" goes to victim@other.org); every accepted one reaches itself', () => {
  for (const refused of ['x:victim@other.org', 'a@b:c.it', 'a@b.c:it']) expect(normalizeEmail(refused)).toBeUndefined();
  const parse = createRequire(import.meta.url)('nodemailer/lib/addressparser') as (text: string) => Array<{ address?: string }>;
  for (const accepted of ['mario.rossi+cie@example.it', 'jos\u00e9@example.it', "o'brien@example.ie", 'a/b=c?d@example.org', 'x@sub.example.co.uk']) {
    const address = normalizeEmail(accepted)!;
    expect(parse(address)).toEqual([{ address, name: '' }]);
  }
});
