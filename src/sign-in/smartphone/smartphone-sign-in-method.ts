import type Router from '@koa/router';
import type { Context } from 'koa';
import { errorMessage } from '../../shared/errors/error-table.js';
import { readForm } from '../../shared/form-body.js';
import type { Language } from '../../shared/language.js';
import { isPhoneBrowser } from '../../shared/phone-browser.js';
import type { SignInBinding, SignInWaiters } from '../sign-in-binding.js';
import type { SignInMethod } from '../sign-in-method.js';
import { BrowserOwnership } from '../browser-ownership.js';
import { typedCardNumber } from './card-number.js';
import type { SmartphoneMode } from './session-state.js';
import { renderSmartphoneFailure, SMARTPHONE_PATH_NAME } from './smartphone-pages.js';
import type { SmartphoneSessions } from './smartphone-sessions.js';

export interface SmartphoneMethodDeps {
  sessions: SmartphoneSessions;
  routes: Router;
  /** The name of the site that asks, shown by the app (the RP's client_name, "I tuoi accessi", …). */
  requesterOf: (ctx: Context, binding: SignInBinding) => Promise<string>;
  /** For a refusal's page: "Riprova" (this method again) and "Torna al servizio". */
  waiters: SignInWaiters;
}

/** The browser that started a session owns it by the cookie `phone_<id…>` on the smartphone paths. */
export const PHONE_BROWSER = new BrowserOwnership('phone', '/smartphone');

/** The start button's form: an optional card number (and, for tests and the demo, a forced mode). */
const START_FORM_LIMIT_BYTES = 1024;

/** A phone's own browser gets the same-device mode (hand-off to the app and back); anything else the QR. */
export function modeFor(ctx: Context, asked?: unknown): SmartphoneMode {
  if (asked === 'same_device' || asked === 'cross_device') return asked;
  return isPhoneBrowser(ctx) ? 'same_device' : 'cross_device';
}

async function startForm(ctx: Context): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) return new URLSearchParams(ctx.querystring);
  return readForm(ctx, START_FORM_LIMIT_BYTES);
}

/**
 * "Prosegui con smartphone" (level 3): starts a session for the waiter, gives this browser the
 * session's secret cookie and sends it to the session's page (the QR and typed code, or the
 * hand-off link to the app). The citizen's outcome reaches the waiter as a completion ticket
 * (smartphone-sign-in.ts).
 */
export function smartphoneSignInMethod(deps: SmartphoneMethodDeps): SignInMethod {
  return {
    id: 'smartphone',
    level: 3,
    pathName: SMARTPHONE_PATH_NAME,
    choiceView: 'sign-in/smartphone-choice',
    routes: deps.routes,
    failureMessage: (code: string, language: Language) => errorMessage(code, language),
    async start(ctx: Context, binding: SignInBinding, language: Language) {
      const form = await startForm(ctx);
      // A number in the wrong shape would bind the session to no card at all: the citizen is told, not ignored.
      const card = typedCardNumber(form.get('card_number') ?? undefined);
      if (card === 'invalid') return renderSmartphoneFailure(ctx, deps.waiters, binding, 'card_number_invalid', language);
      const started = await deps.sessions.start({
        binding,
        mode: modeFor(ctx, form.get('mode') ?? ctx.query.mode),
        requester: await deps.requesterOf(ctx, binding),
        ...card,
      });
      PHONE_BROWSER.claim(ctx, started.sessionId, started.browserSecret, deps.sessions.settings.sessionSeconds);
      ctx.status = 303;
      ctx.redirect(`/smartphone/session/${started.sessionId}?lang=${language}`);
      return undefined;
    },
  };
}
