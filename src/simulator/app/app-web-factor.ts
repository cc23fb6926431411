import type { Context } from 'koa';
import { randomBytes } from 'node:crypto';
import { CardError } from '../../card/index.js';
import { readForm } from '../../shared/form-body.js';
import { TransportError } from '../../transport/card-transport.js';
import { decideApproval, l2EntryOf, openQrApproval, pendingApprovals, type ApprovalShown } from './app-approvals.js';
import { providerOrigin, type AppEntry } from './app-entry.js';
import { AppClientError } from './app-http.js';
import { certifyDevice } from './device-enrolment.js';
import type { DeviceKeyStore, UnlockedDevice } from './device-key-store.js';
import { NumberChoiceError, pickNumber } from './number-choice.js';
import type { PhoneCardReader } from './phone-card-reader.js';
import { AppKeyError } from './security-code.js';
import { alertOf, escapeHtml, page } from './app-web-page.js';

/** Requests shown and waiting for the citizen's answer, each with the key its code unlocked: few, and never longer than the request. */
const MAX_SHOWN = 32;
const SHOWN_MAX_MS = 5 * 60 * 1000;

const codeField = '<p><label>Codice di sicurezza dell’app <input name="security_code" type="password" inputmode="numeric" autocomplete="off"></label></p>';

const certifyForm = (origin = '') =>
  `<p>Leggi la tua CIE con l’app: il telefono diventa un <strong>dispositivo certificato</strong> e potrai entrare al livello 2 approvando le richieste qui, con il codice di sicurezza.</p><form method="post" action="/certify"><p><label>Indirizzo del sito <input name="origin" size="40" value="${escapeHtml(origin)}"></label></p><p><label>Nome del dispositivo <input name="name" value="CieID (simulatore)" maxlength="64"></label></p><p><label>Nuovo codice di sicurezza (da 6 a 12 cifre) <input name="security_code" type="password" inputmode="numeric" autocomplete="off"></label></p><p><label>Ripeti il codice <input name="security_code_again" type="password" inputmode="numeric" autocomplete="off"></label></p><p><label>PIN della CIE (8 cifre) <input name="pin" type="password" inputmode="numeric" autocomplete="off"></label></p><p>Appoggia la CIE sul retro del telefono.</p><button id="certify">Certifica questo dispositivo</button></form>`;

const pendingForm = (origin = '') =>
  `<form method="post" action="/pending"><p><label>Indirizzo del sito <input name="origin" size="40" value="${escapeHtml(origin)}"></label></p>${codeField}<button id="check-pending">Mostra le richieste</button></form>`;

const l2Form = (origin = '') =>
  `<form method="post" action="/l2"><p><label>Link del codice QR <input name="qr" size="60"></label></p><p>oppure</p><p><label>Indirizzo del sito <input name="origin" size="40" value="${escapeHtml(origin)}"></label> <label>Codice <input name="code" size="10"></label></p>${codeField}<button id="open-l2">Entra con QR code</button></form>`;

/** Who asks, and the answer: three numbers to pick from (push; the browser shows one), or approve (QR); refuse either way. */
function approvalForm(id: string, approval: ApprovalShown): string {
  const who = `<p><strong>${escapeHtml(approval.requester)}</strong> (${escapeHtml(approval.host)}) chiede l’accesso con le tue credenziali CieID, livello 2.</p>`;
  const hidden = `<input type="hidden" name="id" value="${id}">`;
  const refuse = `<form method="post" action="/decide">${hidden}<button name="decision" value="deny" id="deny">Rifiuta</button></form>`;
  if (approval.numbers) {
    const buttons = approval.numbers.map((n) => `<button name="number" value="${n}" class="number">${n}</button>`).join(' ');
    return `${who}<p>Scegli il numero che vedi nel browser. Se non hai chiesto tu questo accesso, rifiuta.</p><form method="post" action="/decide">${hidden}<input type="hidden" name="decision" value="approve">${buttons}</form>${refuse}`;
  }
  return `${who}<p>Se non hai inquadrato tu questo codice, su un sito che hai aperto tu, rifiuta.</p><form method="post" action="/decide">${hidden}<button name="decision" value="approve" id="approve">Approva</button></form>${refuse}`;
}

/** The citizen's words for a refusal of the app itself, of the card, or of the provider. */
function refusalOf(error: unknown): { code: string; words: string } | undefined {
  if (error instanceof AppKeyError) {
    const words = {
      security_code_invalid: 'Il codice di sicurezza è di 6–12 cifre, non tutte uguali e non in sequenza (come 123456).',
      wrong_security_code: `Codice di sicurezza errato. Tentativi rimasti: ${String(error.details.triesLeft)}. Nulla è stato inviato al sito.`,
      security_code_locked: 'Troppi codici di sicurezza errati: la chiave di questo dispositivo è stata cancellata. Certifica di nuovo il dispositivo con la CIE.',
      not_certified: 'Questo dispositivo non è certificato per questo sito: certificalo prima con la CIE.',
      keystore_unreadable: 'L’archivio delle chiavi dell’app non è leggibile.',
    }[error.code];
    return { code: error.code, words };
  }
  if (error instanceof NumberChoiceError) return { code: error.code, words: 'Scegli uno dei numeri mostrati.' };
  if (error instanceof CardError) return { code: error.code, words: error.code === 'wrong_pin' ? `PIN errato.${typeof error.details.triesLeft === 'number' ? ` Tentativi rimasti: ${error.details.triesLeft}.` : ''}` : `La carta non ha risposto (${error.code}). Riprova.` };
  if (error instanceof TransportError) return { code: error.code, words: 'La carta è stata allontanata dal telefono durante la lettura. Riappoggiala e riprova.' };
  if (error instanceof AppClientError) {
    const words = error.code === 'provider_refused' ? error.message : error.code === 'bad_link' ? 'Il codice QR o l’indirizzo non è valido.' : 'Il sito non risponde o ha risposto in modo non valido.';
    return { code: String(error.details.error ?? error.code), words };
  }
  return undefined;
}

/**
 * The level-2 factor's pages of the app simulator: "Certifica questo dispositivo" (a card read certifies a
 * device key), "Richieste in attesa" (the push, number matching) and "Entra con QR code (livello 2)". The
 * security code unlocks the key for one request; the unlocked key waits in memory only until the answer.
 */
export function appFactorPages(options: { reader: PhoneCardReader; store: DeviceKeyStore; fetch?: typeof fetch; providerOrigin?: string }) {
  const shown = new Map<string, { device: UnlockedDevice; approval: ApprovalShown; until: number }>();
  const forms: Record<string, () => string> = { '/certify': () => certifyForm(options.providerOrigin), '/pending': () => pendingForm(options.providerOrigin), '/l2': () => l2Form(options.providerOrigin) };
  const titles: Record<string, string> = { '/certify': 'Certifica questo dispositivo', '/pending': 'Richieste in attesa', '/l2': 'Entra con QR code (livello 2)', '/decide': 'Richiesta di accesso' };

  const keep = (device: UnlockedDevice, approval: ApprovalShown) => {
    const now = Date.now();
    for (const [key, entry] of shown) if (entry.until <= now) shown.delete(key);
    if (shown.size >= MAX_SHOWN) shown.delete(shown.keys().next().value!);
    const id = randomBytes(16).toString('base64url');
    shown.set(id, { device, approval, until: Math.min(approval.expiresAt, now + SHOWN_MAX_MS) });
    return id;
  };

  async function answer(ctx: Context, form: URLSearchParams): Promise<string> {
    const fetchImpl = options.fetch;
    if (ctx.path === '/certify') {
      if (form.get('security_code') !== form.get('security_code_again')) return page(titles['/certify']!, alertOf('security_code_mismatch', 'I due codici di sicurezza non coincidono.') + certifyForm(form.get('origin') ?? ''));
      const outcome = await certifyDevice({ origin: form.get('origin') ?? '', name: (form.get('name') ?? '').trim() || 'CieID (simulatore)', pin: form.get('pin') ?? '', securityCode: form.get('security_code') ?? '', reader: options.reader, store: options.store, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
      const who = `${outcome.citizen.givenName} ${outcome.citizen.familyName}`.trim();
      return page('Dispositivo certificato', `<p id="certified" data-device="${escapeHtml(outcome.device.deviceId)}">Questo dispositivo è certificato per ${escapeHtml(new URL(outcome.device.origin).host)}${who ? ` (${escapeHtml(who)})` : ''}${outcome.isDefault ? ' ed è il tuo dispositivo predefinito: le notifiche arrivano qui' : ''}.</p><p><a href="/pending">Richieste in attesa</a></p>`);
    }
    if (ctx.path === '/pending') {
      const device = await options.store.unlock(providerOrigin(form.get('origin') ?? ''), form.get('security_code') ?? '');
      const [approval] = await pendingApprovals(device, fetchImpl);
      if (!approval) return page(titles['/pending']!, `<p id="no-pending">Nessuna richiesta in attesa.</p>${pendingForm(device.origin)}`);
      return page(titles['/decide']!, approvalForm(keep(device, approval), approval));
    }
    if (ctx.path === '/l2') {
      const qr = form.get('qr')?.trim();
      const entry: AppEntry = qr ? { qrLink: qr } : { origin: form.get('origin')?.trim() ?? '', typedCode: form.get('code')?.trim() ?? '' };
      // The origin is the link's (or the address typed), fixed before the key is unlocked.
      const { origin, body } = l2EntryOf(entry);
      const device = await options.store.unlock(origin, form.get('security_code') ?? '');
      const approval = await openQrApproval(device, body, fetchImpl);
      return page(titles['/decide']!, approvalForm(keep(device, approval), approval));
    }
    const id = form.get('id') ?? '';
    const entry = shown.get(id);
    if (!entry || entry.until <= Date.now()) {
      shown.delete(id);
      ctx.status = 410;
      return page('Richiesta scaduta', '<p>Questa richiesta non è più aperta.</p>');
    }
    const { device, approval } = entry;
    const decision = form.get('decision') === 'deny' ? ({ approve: false } as const) : ({ approve: true, userVerification: 'pin', ...(approval.numbers ? { number: pickNumber(approval.numbers, form.get('number') ?? '') } : {}) } as const);
    shown.delete(id);
    const state = await decideApproval(device, approval.approval, decision, fetchImpl);
    return state === 'approved'
      ? page('Accesso approvato', `<p id="approval-state" data-state="approved">Hai approvato l’accesso a ${escapeHtml(approval.requester)}. Torna al browser.</p>`)
      : page('Accesso rifiutato', `<p id="approval-state" data-state="denied">Hai rifiutato l’accesso. Il sito non riceve nulla.</p>`);
  }

  /** Serves the request when it is one of these pages; false otherwise. */
  return async function handle(ctx: Context): Promise<boolean> {
    const form = forms[ctx.path];
    if (ctx.method === 'GET' && form) {
      ctx.body = page(titles[ctx.path]!, form());
      return true;
    }
    if (ctx.method !== 'POST' || !(form || ctx.path === '/decide')) return false;
    const posted = await readForm(ctx, 4096);
    try {
      ctx.body = await answer(ctx, posted);
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      ctx.status = 400;
      ctx.body = page(titles[ctx.path]!, alertOf(refusal.code, refusal.words) + (form ? form() : ''));
    }
    return true;
  };
}
