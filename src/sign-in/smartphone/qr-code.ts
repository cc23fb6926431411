import QRCode from 'qrcode';

/**
 * What the QR carries: an https link on the provider's own origin (docs/app-protocol.md "QR").
 * The CieID app opens it; a phone camera without the app lands on a page saying to use the app.
 * The origin is the one the app signs: the app must take it from this link, never from an answer.
 */
export function qrLink(origin: string, qrNonce: string): string {
  return `${origin}/smartphone/qr#${qrNonce}`;
}

/** The nonce of a QR link, if the link is for `origin`; a link for another site gives undefined. */
export function nonceOfQrLink(link: string, origin: string): string | undefined {
  const prefix = `${origin}/smartphone/qr#`;
  if (!link.startsWith(prefix)) return undefined;
  const nonce = link.slice(prefix.length);
  return /^[A-Za-z0-9_-]{43}$/.test(nonce) ? nonce : undefined;
}

/** The QR as inline SVG markup (no image request, nothing for the CSP to allow). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
