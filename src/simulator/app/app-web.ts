import Koa, { type Context } from 'koa';
import { randomBytes } from 'node:crypto';
import { CardError } from '../../card/index.js';
import { readForm } from '../../shared/form-body.js';
import { TransportError } from '../../transport/card-transport.js';
import { AppClientError, openAppSession, signAndPost, type AppEntry, type OpenedAppSession } from './app-client.js';
import { appFactorPages } from './app-web-factor.js';
import { escapeHtml, page } from './app-web-page.js';
import { DeviceKeyStore } from './device-key-store.js';
import type { PhoneCardReader } from './phone-card-reader.js';

/** Opened sessions waiting for their PIN: few, short-lived (the provider's own challenge lasts 5 minutes). */
const MAX_PENDING = 32;
const PENDING_MS = 5 * 60 * 1000;


/** The first screen: the QR's link, or the site and the typed code (the site filled in when the app knows one provider, as the demo's). */
const startForm = (origin = '') => `<form method="post" action="/open"><p><label>Link del codice QR <input name="qr" size="60"></label></p><p>oppure</p><p><label>Indirizzo del sito <input name="origin" size="40" value="${escapeHtml(origin)}"></label> <label>Codice <input name="code" size="10"></label></p><button>Entra con QR Code</button></form>`;

function pinForm(id: string, session: OpenedAppSession, notice = ''): string {
  const { requester, host, level } = session.shown;
  return `${notice ? `<p role="alert">${escapeHtml(notice)}</p>` : ''}<p><strong>${escapeHtml(requester)}</strong> (${escapeHtml(host)}) chiede l’accesso con la tua CIE, livello ${level}.</p><form method="post" action="/pin"><input type="hidden" name="id" value="${id}"><p><label>PIN (8 cifre) <input name="pin" type="password" inputmode="numeric" autocomplete="off"></label></p><p>Appoggia la CIE sul retro del telefono.</p><button>Leggi la carta</button></form><form method="post" action="/cancel"><input type="hidden" name="id" value="${id}"><button>Annulla</button></form>`;
}

/**
 * The CieID-app simulator as a small local web app (loopback only): the citizen pastes the QR link
 * (or types the site and code), sees who asks, types the PIN, and gets the OTP or the hand-back link;
 * and the level-2 factor's pages (app-web-factor.ts) on the devices kept in `store`.
 * The card is the virtual card behind `reader`, reached through the real card protocol.
 */
export function createAppWeb(options: { reader: PhoneCardReader; fetch?: typeof fetch; providerOrigin?: string; store?: DeviceKeyStore }): Koa {
  const start = startForm(options.providerOrigin);
  const factorPages = appFactorPages({ ...options, store: options.store ?? DeviceKeyStore.inMemory() });
  const pending = new Map<string, { session: OpenedAppSession; until: number }>();
  const app = new Koa();

  const take = (id: string | null) => {
    const now = Date.now();
    for (const [key, entry] of pending) if (entry.until <= now) pending.delete(key);
    return id ? pending.get(id) : undefined;
  };

  app.use(async (ctx: Context) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Security-Policy', "default-src 'none'; form-action 'self'");
    ctx.type = 'html';
    if (ctx.method === 'GET' && ctx.path === '/') {
      ctx.body = page('CieID', start);
      return;
    }
    if (await factorPages(ctx)) return;
    if (ctx.method !== 'POST' || !['/open', '/pin', '/cancel'].includes(ctx.path)) {
      ctx.status = 404;
      ctx.body = page('Pagina non trovata', '<p><a href="/">Torna all’inizio</a></p>');
      return;
    }
    const form = await readForm(ctx, 4096);
    try {
      if (ctx.path === '/open') {
        const qr = form.get('qr')?.trim();
        const entry: AppEntry = qr ? { qrLink: qr } : { origin: form.get('origin')?.trim() ?? '', typedCode: form.get('code')?.trim() ?? '' };
        const session = await openAppSession(entry, options.fetch);
        take(null);
        if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!);
        const id = randomBytes(16).toString('base64url');
        pending.set(id, { session, until: Date.now() + PENDING_MS });
        ctx.body = page('Richiesta di accesso', pinForm(id, session));
        return;
      }
      const id = form.get('id');
      const entry = take(id);
      if (!entry || !id) {
        ctx.status = 410;
        ctx.body = page('Richiesta scaduta', `<p>Questa richiesta non è più aperta.</p>${start}`);
        return;
      }
      if (ctx.path === '/cancel') {
        pending.delete(id);
        ctx.body = page('Accesso annullato', '<p>Non è stato inviato nulla al sito.</p><p><a href="/">Torna all’inizio</a></p>');
        return;
      }
      try {
        const outcome = await signAndPost(entry.session, form.get('pin') ?? '', options.reader, options.fetch);
        pending.delete(id);
        ctx.body =
          outcome.mode === 'cross_device'
            ? page('Codice per il computer', `<p>Digita questo codice sul computer:</p><p id="otp" style="font-size:2.5em;letter-spacing:.2em">${escapeHtml(outcome.otp)}</p>`)
            : page('Accesso eseguito', `<p><a id="hand-back" href="${escapeHtml(outcome.handBackUrl)}">Torna al browser</a></p>`);
      } catch (error) {
        if (!(error instanceof CardError) && !(error instanceof TransportError)) throw error;
        // Nothing was posted: the same session can be tried again.
        const tries = error instanceof CardError && typeof error.details.triesLeft === 'number' ? ` Tentativi rimasti: ${error.details.triesLeft}.` : '';
        const notice = error.code === 'wrong_pin' ? `PIN errato.${tries}` : error.code === 'card_removed' ? 'La carta è stata allontanata dal telefono durante la lettura. Riappoggiala e riprova.' : `La carta non ha risposto (${error.code}). Riprova.`;
        ctx.body = page('Richiesta di accesso', pinForm(id, entry.session, notice));
      }
    } catch (error) {
      if (!(error instanceof AppClientError)) throw error;
      ctx.status = 400;
      const description = error.code === 'provider_refused' ? String(error.message) : 'Il codice QR o il codice digitato non è valido, oppure il sito non risponde.';
      ctx.body = page('Accesso non riuscito', `<p role="alert" data-code="${escapeHtml(String(error.details.error ?? error.code))}">${escapeHtml(description)}</p>${start}`);
    }
  });
  return app;
}
