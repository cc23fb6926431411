import type { Context } from 'koa';
import { renderErrorPage } from '../../shared/errors/render-error-page.js';
import { renderPage } from '../../shared/html.js';
import type { Language } from '../../shared/language.js';
import type { SignInBinding, SignInWaiters } from '../sign-in-binding.js';
import { waiterLinks } from '../waiter-links.js';
import { labelledQr, qrLink } from '../qr-code.js';
import { displayTypedCode } from '../random-handles.js';
import type { SessionView } from './session-state.js';
import { smartphoneMessages } from './smartphone-messages.js';
import type { SessionRecord } from './smartphone-sessions.js';

/** The smartphone method's segment in a waiter's start path (`POST /interaction/:uid/smartphone`). */
export const SMARTPHONE_PATH_NAME = 'smartphone';

const pageData = (lang: Language, title: (m: ReturnType<typeof smartphoneMessages>) => string, extra: Record<string, unknown>) => {
  const m = smartphoneMessages(lang);
  return { lang, m, title: title(m), assets: '/assets', ...extra };
};

/**
 * The session's page, as the browser that started it sees it: desktop + smartphone (QR, typed code,
 * the steps pushed by the server, the OTP form) or the phone's own browser (the link that opens the
 * app). `notice`: a wrong OTP, shown above the form again.
 */
export async function renderSessionPage(ctx: Context, record: SessionRecord, view: SessionView, lang: Language, notice?: string): Promise<void> {
  const m = smartphoneMessages(lang);
  const link = qrLink(record.origin, record.qrNonce);
  const common = { sessionId: record.id, requester: record.requester, state: view.state, deadline: view.deadline ?? record.expiresAt, notice };
  const stable = { languageSwitchPath: `/smartphone/session/${record.id}`, status: notice ? 400 : 200 };
  if (record.mode === 'same_device') {
    return renderPage(ctx, 'smartphone/same-device', pageData(lang, (w) => w.sameDeviceTitle, { ...common, appLink: link }), stable);
  }
  return renderPage(ctx, 'smartphone/session', pageData(lang, (w) => w.sessionTitle, {
    ...common,
    qr: await labelledQr(link, m.qrLabel),
    qrLink: link,
    typedCode: record.typedCode ? displayTypedCode(record.typedCode) : '',
    host: new URL(record.origin).host,
    otpDigits: 6,
  }), { ...stable, connectToSelf: true });
}

/** The page a phone camera lands on when it reads the QR without the CieID app. */
export function renderQrHelpPage(ctx: Context, lang: Language): Promise<void> {
  return renderPage(ctx, 'smartphone/qr-help', pageData(lang, (m) => m.qrHelpTitle, {}));
}

/**
 * A sign-in that cannot go on (refused, expired, cancelled, too many codes): the table's words, with
 * the waiter's "Riprova" (this method again) and "Torna al servizio" when the binding is known.
 */
export function renderSmartphoneFailure(ctx: Context, waiters: SignInWaiters, binding: SignInBinding | undefined, code: string, lang: Language, status?: number): Promise<void> {
  return renderErrorPage(ctx, { code, language: lang, ...(status ? { status } : {}), ...waiterLinks(waiters, binding, SMARTPHONE_PATH_NAME, true) });
}
