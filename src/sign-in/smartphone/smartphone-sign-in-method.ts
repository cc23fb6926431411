import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Language } from '../../shared/language.js';
import type { SignInBinding } from '../sign-in-binding.js';
import type { SignInMethod } from '../sign-in-method.js';
import { setBrowserCookie } from './browser-cookie.js';
import { normaliseCardNumber } from './card-number.js';
import type { SmartphoneMode } from './session-state.js';
import { smartphoneErrors, type SmartphoneErrorCode } from './smartphone-error.js';
import type { SmartphoneSessions } from './smartphone-sessions.js';

export interface SmartphoneMethodDeps {
  sessions: SmartphoneSessions;
  routes: Router;
  /** The name of the site that asks, shown by the app (the RP's client_name, "I tuoi accessi", …). */
  requesterOf: (ctx: Context, binding: SignInBinding) => Promise<string>;
}

/** A phone's own browser gets the same-device mode (hand-off to the app and back); anything else the QR. */
export function modeFor(ctx: Context): SmartphoneMode {
  const asked = (ctx.request as { body?: Record<string, unknown> }).body?.mode ?? ctx.query.mode;
  if (asked === 'same_device' || asked === 'cross_device') return asked;
  return /\b(Android|iPhone|iPad|Mobile)\b/.test(ctx.get('user-agent')) ? 'same_device' : 'cross_device';
}

/**
 * "Prosegui con smartphone" (level 3): starts a session for the waiter, gives this browser the
 * session's secret cookie and sends it to the session's page (the QR and typed code, or the
 * hand-off link to the app). The page itself, its view and the ticket the waiter redeems are the
 * wiring's (docs/app-protocol.md, "Wiring").
 */
export function smartphoneSignInMethod(deps: SmartphoneMethodDeps): SignInMethod {
  return {
    id: 'smartphone',
    level: 3,
    pathName: 'smartphone',
    choiceView: 'sign-in/smartphone-choice',
    routes: deps.routes,
    failureMessage(code: string, language: Language) {
      return (smartphoneErrors[code as SmartphoneErrorCode] ?? smartphoneErrors.assertion_refused)[language];
    },
    async start(ctx: Context, binding: SignInBinding, language: Language) {
      const cardNumber = normaliseCardNumber(ctx.query.card_number ?? (ctx.request as { body?: Record<string, unknown> }).body?.card_number);
      const started = await deps.sessions.start({
        binding,
        mode: modeFor(ctx),
        requester: await deps.requesterOf(ctx, binding),
        ...(cardNumber ? { cardNumber } : {}),
      });
      setBrowserCookie(ctx, started.sessionId, started.browserSecret, deps.sessions.settings.sessionSeconds);
      ctx.status = 303;
      ctx.redirect(`/smartphone/session/${started.sessionId}?lang=${language}`);
    },
  };
}
