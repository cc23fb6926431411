import QRCode from 'qrcode';

/**
 * What a smartphone QR carries: an https link on the provider's own origin (docs/app-protocol.md "QR").
 * The CieID app opens it; a phone camera without the app lands on a page saying to use the app.
 * The origin is the one the app signs: the app must take it from this link, never from an answer.
 */
export function qrLink(origin: string, qrNonce: string, path = '/smartphone/qr'): string {
  return `${origin}${path}#${qrNonce}`;
}

/** The nonce of a QR link, if the link is for `origin` (and `path`); a link for another site gives undefined. */
export function nonceOfQrLink(link: string, origin: string, path = '/smartphone/qr'): string | undefined {
  const prefix = `${origin}${path}#`;
  if (!link.startsWith(prefix)) return undefined;
  const nonce = link.slice(prefix.length);
  return /^[A-Za-z0-9_-]{43}$/.test(nonce) ? nonce : undefined;
}

/** The QR as inline SVG markup (no image request, nothing for the CSP to allow). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The QR as an image with a name for screen readers (the library's SVG has none); no style attribute, so the CSP needs nothing. */
export async function labelledQr(link: string, label: string): Promise<string> {
  const svg = await qrSvg(link);
  const escaped = label.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return svg.replace('<svg ', `<svg role="img" aria-label="${escaped}" class="phone-qr" width="240" height="240" focusable="false" `);
}
