import Router from '@koa/router';
import type { Context } from 'koa';
import type { TriesLeft } from '../card/index.js';
import { CodedError } from '../shared/coded-error.js';
import { readForm } from '../shared/form-body.js';
import type { Language } from '../shared/language.js';
import { type BridgePageOptions, renderBridgePage, signInLink } from './bridge-pages.js';
import { type BridgeState, languageOf, queryText } from './bridge-state.js';
import { isOwnOrigin, isTopLevelNavigation } from './loopback-guard.js';
import { type BridgeMessages, bridgeMessages, cardFailureMessage } from './messages.js';
import { EIGHT_DIGITS, newPinProblem } from './new-pin-policy.js';

const FORM_LIMIT = 2048;
export const PIN_TRIES = 3;
export const PUK_TRIES = 10;

type FieldErrors = Record<string, string>;

/**
 * The citizen's "Software CIE" pages: the card's counters (`/`), changing the PIN (`/pin/change`) and
 * unblocking it with the PUK (`/pin/unblock`). Each form is accepted only from the bridge's own origin
 * with a valid form token; codes go to the card and nowhere else (never into a page, URL or log).
 * `?request=<id>` ties a page to an open sign-in, so it can offer "Torna al servizio" and, once the PIN
 * works again, the way back to that sign-in.
 */
export function cardRoutes(state: BridgeState): Router {
  const { deps, pending, tokens } = state;
  const router = new Router();

  function context(ctx: Context, requestId: string): { language: Language; m: BridgeMessages; options: BridgePageOptions; requestId: string } {
    const request = requestId ? pending.peek(requestId) : undefined;
    const language = typeof ctx.query.lang === 'string' || !request ? languageOf(ctx) : request.language;
    return {
      language,
      m: bridgeMessages(language),
      requestId: request?.id ?? '',
      options: { helpOrigin: deps.allowedOrigins[0] ?? '', signIn: request ? signInLink(request) : undefined },
    };
  }

  /** The counters, or the reason the card could not be read (no reader, no card…). */
  async function readTries(m: BridgeMessages): Promise<{ tries?: TriesLeft; problem?: string }> {
    try {
      return { tries: await deps.pins.readTriesLeft() };
    } catch (error) {
      if (!(error instanceof CodedError)) throw error;
      return { problem: `${m.statusUnavailable} ${cardFailureMessage(m, error.code, undefined)}` };
    }
  }

  /** Refuses what did not come from our own page: another origin, or a missing or stale form token. */
  async function ownForm(ctx: Context, purpose: string): Promise<URLSearchParams | undefined> {
    const language = languageOf(ctx);
    const m = bridgeMessages(language);
    const options = { helpOrigin: deps.allowedOrigins[0] ?? '' };
    if (!isOwnOrigin(ctx.get('origin'), deps.port())) {
      await renderBridgePage(ctx, 'message', language, { code: 'forbidden_origin', message: m.badRequest }, { ...options, status: 403 });
      return undefined;
    }
    const form = await readForm(ctx, FORM_LIMIT);
    if (!tokens.valid(purpose, form.get('token') ?? '')) {
      await renderBridgePage(ctx, 'message', language, { code: 'bad_form_token', message: m.expiredForm }, { ...options, status: 403 });
      return undefined;
    }
    return form;
  }

  router.get('/', async (ctx) => {
    const { language, m, options, requestId } = context(ctx, queryText(ctx, 'request'));
    // Reading the card is a card session: only the citizen's own page load starts one, not an image or frame of another site.
    if (!isTopLevelNavigation(ctx)) return renderBridgePage(ctx, 'message', language, { code: 'not_a_navigation', message: m.badRequest }, { ...options, status: 403 });
    const { tries, problem } = await readTries(m);
    await renderBridgePage(ctx, 'card', language, { tries, problem, requestId, pinTotal: PIN_TRIES, pukTotal: PUK_TRIES }, { ...options, switchable: true });
  });

  router.get('/pin/change', async (ctx) => {
    const { language, options, requestId } = context(ctx, queryText(ctx, 'request'));
    await renderBridgePage(ctx, 'pin-change', language, { token: tokens.issue('pin-change'), requestId, errors: {} }, { ...options, switchable: true });
  });

  router.post('/pin/change', async (ctx) => {
    const form = await ownForm(ctx, 'pin-change');
    if (!form) return;
    const { language, m, options, requestId } = context(ctx, form.get('request') ?? '');
    const again = (errors: FieldErrors, status = 400) =>
      renderBridgePage(ctx, 'pin-change', language, { token: tokens.issue('pin-change'), requestId, errors }, { ...options, status });
    const current = form.get('current') ?? '';
    const next = form.get('next') ?? '';
    const errors: FieldErrors = { ...(EIGHT_DIGITS.test(current) ? {} : { current: m.invalidPinFormat }), ...newPinErrors(m, next, form.get('again') ?? '') };
    if (Object.keys(errors).length > 0) return again(errors);
    try {
      await deps.pins.changePin(current, next);
    } catch (error) {
      if (!(error instanceof CodedError)) throw error;
      if (error.code === 'pin_blocked') return renderBridgePage(ctx, 'blocked', language, { code: error.code, requestId }, { ...options, status: 409 });
      if (error.code === 'puk_blocked') return renderBridgePage(ctx, 'message', language, { code: error.code, message: m.pukBlocked }, { ...options, status: 409 });
      const text = cardFailureMessage(m, error.code, error.details.triesLeft);
      return again(error.code === 'wrong_pin' ? { current: text } : { card: text }, error.code === 'wrong_pin' ? 400 : 409);
    }
    await renderBridgePage(ctx, 'done', language, { code: 'pin_changed', message: m.pinChanged, requestId }, options);
  });

  router.get('/pin/unblock', async (ctx) => {
    const { language, m, options, requestId } = context(ctx, queryText(ctx, 'request'));
    if (!isTopLevelNavigation(ctx)) return renderBridgePage(ctx, 'message', language, { code: 'not_a_navigation', message: m.badRequest }, { ...options, status: 403 });
    const { tries } = await readTries(m);
    await renderBridgePage(ctx, 'pin-unblock', language, { token: tokens.issue('pin-unblock'), requestId, errors: {}, pukLeft: tries?.puk, pukUnknown: tries !== undefined && tries.puk === undefined }, { ...options, switchable: true });
  });

  router.post('/pin/unblock', async (ctx) => {
    const form = await ownForm(ctx, 'pin-unblock');
    if (!form) return;
    const { language, m, options, requestId } = context(ctx, form.get('request') ?? '');
    const again = (errors: FieldErrors, pukLeft: number | undefined, status = 400, pukUnknown = false) =>
      renderBridgePage(ctx, 'pin-unblock', language, { token: tokens.issue('pin-unblock'), requestId, errors, pukLeft, pukUnknown }, { ...options, status });
    const puk = form.get('puk') ?? '';
    const next = form.get('next') ?? '';
    const errors: FieldErrors = { ...(EIGHT_DIGITS.test(puk) ? {} : { puk: m.invalidPukFormat }), ...newPinErrors(m, next, form.get('again') ?? '') };
    if (Object.keys(errors).length > 0) return again(errors, undefined);
    const lastTryConfirmed = form.get('confirm_last') === 'yes';
    try {
      // Before the last PUK try the citizen must say they know a wrong one blocks the card for good.
      if (!lastTryConfirmed) {
        const { puk: pukLeft } = await deps.pins.readTriesLeft();
        if (pukLeft === 1) return again({ confirm_last: m.lastPukNeedsConfirm }, 1, 409);
        // A card that gives no count may be at its last try too (a real CIE's answer to the empty VERIFY is unverified).
        if (pukLeft === undefined) return again({ confirm_last: m.unknownPukNeedsConfirm }, undefined, 409, true);
        if (pukLeft === 0) return renderBridgePage(ctx, 'message', language, { code: 'puk_blocked', message: m.pukBlocked }, { ...options, status: 409 });
      }
      await deps.pins.unblockPin(puk, next);
    } catch (error) {
      if (!(error instanceof CodedError)) throw error;
      if (error.code === 'puk_blocked') return renderBridgePage(ctx, 'message', language, { code: error.code, message: m.pukBlocked }, { ...options, status: 409 });
      const left = typeof error.details.triesLeft === 'number' ? error.details.triesLeft : undefined;
      const text = cardFailureMessage(m, error.code, left);
      return again(error.code === 'wrong_puk' ? { puk: text } : { card: text }, error.code === 'wrong_puk' ? left : undefined, error.code === 'wrong_puk' ? 400 : 409);
    }
    await renderBridgePage(ctx, 'done', language, { code: 'pin_unblocked', message: m.pinUnblocked, requestId }, options);
  });

  return router;
}

function newPinErrors(m: BridgeMessages, next: string, again: string): FieldErrors {
  switch (newPinProblem(next, again)) {
    case 'invalid_new_pin_format':
      return { next: m.invalidNewPinFormat };
    case 'weak_pin':
      return { next: m.weakPin };
    case 'new_pins_differ':
      return { again: m.newPinsDiffer };
    default:
      return {};
  }
}
