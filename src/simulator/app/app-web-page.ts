/** The app's pages' shell: escaping, the title, and the app's menu (level 3 with the card, and the level-2 factor). */

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const MENU = [
  ['/', 'Entra con QR Code (livello 3, con la CIE)'],
  ['/l2', 'Entra con QR code (livello 2)'],
  ['/pending', 'Richieste in attesa'],
  ['/certify', 'Certifica questo dispositivo'],
] as const;

export function page(title: string, body: string): string {
  const menu = `<nav><ul>${MENU.map(([href, label]) => `<li><a href="${href}">${label}</a></li>`).join('')}</ul></nav>`;
  return `<!doctype html><html lang="it"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} — CieID (simulatore)</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main>${menu}</body></html>`;
}

/** A refusal the citizen reads, with its stable code for tests and screen readers. */
export const alertOf = (code: string, words: string) => `<p role="alert" data-code="${escapeHtml(code)}">${escapeHtml(words)}</p>`;
