/**
 * The CIE's card number as printed top right on the card and held in the certificate's
 * serialNumber (2 letters, 5 digits, 2 letters, e.g. CA00000AA). Typed on the desktop, it binds
 * the sign-in to that card (the real service asks for it in the desktop + smartphone mode).
 */
export function normaliseCardNumber(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 20) return undefined;
  const number = input.toUpperCase().replace(/\s/g, '');
  return /^[A-Z]{2}[0-9]{5}[A-Z]{2}$/.test(number) ? number : undefined;
}

/** What the desktop's optional field says: no card named, a card, or something that is not a card number (refused, not ignored). */
export function typedCardNumber(input: string | undefined): { cardNumber?: string } | 'invalid' {
  if (input === undefined || input.trim() === '') return {};
  const cardNumber = normaliseCardNumber(input);
  return cardNumber ? { cardNumber } : 'invalid';
}
