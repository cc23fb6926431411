import { AppClientError } from './app-http.js';

/** Where the app is told to go: a QR link `<origin><path>#<nonce>`, or the provider's address plus a typed code. */
export type AppEntry = { qrLink: string } | { origin: string; typedCode: string };

/** The provider's origin as the citizen gave it, or `bad_link` (never a TypeError out of URL). */
export function providerOrigin(address: string): string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new AppClientError('bad_link', 'not a web address');
  }
  if (!/^https?:$/.test(url.protocol)) throw new AppClientError('bad_link', 'not a web address');
  return url.origin;
}

/**
 * The origin the app will sign for and the body that opens the request: the link's own origin and its
 * fragment's nonce (the QR of `qrPath`: `/smartphone/qr` at level 3, `/app/l2` at level 2), or the
 * typed code with the address the citizen chose. Never an origin taken from an answer.
 */
export function entryOf(entry: AppEntry, qrPath: string): { origin: string; body: { qr: string } | { code: string } } {
  if ('qrLink' in entry) {
    const origin = providerOrigin(entry.qrLink);
    const url = new URL(entry.qrLink);
    const nonce = url.hash.slice(1);
    if (url.pathname !== qrPath || !/^[A-Za-z0-9_-]{43}$/.test(nonce)) throw new AppClientError('bad_link', 'not a sign-in QR');
    return { origin, body: { qr: nonce } };
  }
  return { origin: providerOrigin(entry.origin), body: { code: entry.typedCode } };
}
