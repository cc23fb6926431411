import { CardError } from './card-error.js';

/** ISO 7816-4 status words the CIE flow reacts to (values the real card uses beyond these are [unverified]). */
export const SW = {
  success: 0x9000,
  endOfFileReached: 0x6282, // READ BINARY: short last chunk
  verificationFailed: 0x6300, // wrong PIN/PUK, tries unknown
  wrongLength: 0x6700,
  securityStatusNotSatisfied: 0x6982,
  authenticationBlocked: 0x6983,
  incorrectSmDataObjects: 0x6988,
  fileNotFound: 0x6a82,
  incorrectP1P2: 0x6a86,
  referenceDataNotFound: 0x6a88,
  wrongOffset: 0x6b00, // READ BINARY past the end of the file
  insNotSupported: 0x6d00,
} as const;

const NAMES = new Map<number, string>(Object.entries(SW).map(([name, sw]) => [sw, name]));

/** `61xx`: xx more bytes wait for GET RESPONSE (00 means 256). */
export function bytesAvailable(sw: number): number | undefined {
  return sw >> 8 === 0x61 ? (sw & 0xff) || 256 : undefined;
}

/** `6Cxx`: wrong Le, resend with Le = xx (00 means 256). */
export function correctLe(sw: number): number | undefined {
  return sw >> 8 === 0x6c ? (sw & 0xff) || 256 : undefined;
}

/** `63Cx`: verification failed, x tries left. */
export function triesLeft(sw: number): number | undefined {
  return (sw & 0xfff0) === 0x63c0 ? sw & 0x0f : undefined;
}

export function formatSw(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

/** "6A82 (fileNotFound)" for messages and logs. */
export function describeSw(sw: number): string {
  const name = NAMES.get(sw);
  return name === undefined ? formatSw(sw) : `${formatSw(sw)} (${name})`;
}

/** Throws CardError(code) unless the status word is 9000. */
export function requireSuccess(
  response: { sw: number },
  what: string,
  code: 'card_error' | 'device_auth_failed' | 'unsupported_card' = 'card_error',
): void {
  if (response.sw !== SW.success) {
    throw new CardError(code, `${what} failed with ${describeSw(response.sw)}`, { sw: formatSw(response.sw) });
  }
}
