import Router from '@koa/router';
import Koa, { type Context } from 'koa';
import { CodedError } from '../shared/coded-error.js';
import { readForm, RequestBodyError } from '../shared/form-body.js';
import { renderPage } from '../shared/html.js';
import { chooseLanguage, type Language } from '../shared/language.js';
import { staticAssets } from '../shared/static-assets.js';
import { buildAssertion, digestToSign } from './assertion-builder.js';
import type { CardSigner } from './card-signer.js';
import { isOwnOrigin, isTopLevelNavigation, loopbackGuard } from './loopback-guard.js';
import { bridgeMessages, cardFailureMessage } from './messages.js';
import { PendingRequests, type PendingRequest } from './pending-requests.js';

export interface BridgeDeps {
  allowedOrigins: string[];
  signer: CardSigner;
  version: string;
  /** The port the bridge listens on (known after listen). */
  port: () => number;
}

const PIN_FORM_LIMIT = 2048;

/**
 * The bridge's web face: the PIN page for a provider's challenge, then an auto-submitted form
 * that carries the assertion back to that provider. The PIN is posted only to this loopback
 * server, handed to the card and forgotten; it never appears in a response, URL or log.
 */
export function createBridgeApp(deps: BridgeDeps): Koa {
  const app = new Koa();
  const pending = new PendingRequests();
  const router = new Router();

  const languageOf = (ctx: Context): Language => chooseLanguage({ query: typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined, acceptLanguage: ctx.get('accept-language') });

  async function message(ctx: Context, language: Language, code: string, text: string, status: number): Promise<void> {
    await renderPage(ctx, 'bridge/message', { lang: language, m: bridgeMessages(language), code, message: text }, { status, formActions: [] });
  }

  async function pinPage(ctx: Context, request: PendingRequest, notice?: { code: string; text: string }): Promise<void> {
    const m = bridgeMessages(request.language);
    await renderPage(ctx, 'bridge/pin', {
      lang: request.language,
      m,
      origin: request.origin,
      challenge: Buffer.from(request.challenge).toString('base64url'),
      requestId: request.id,
      formToken: request.formToken,
      notice: notice?.text,
      noticeCode: notice?.code,
    }, { formActions: [request.origin], status: notice ? 400 : 200 });
  }

  router.get('/login', async (ctx) => {
    const language = languageOf(ctx);
    const m = bridgeMessages(language);
    const origin = typeof ctx.query.origin === 'string' ? ctx.query.origin : '';
    const challengeText = typeof ctx.query.challenge === 'string' ? ctx.query.challenge : '';
    if (!deps.allowedOrigins.includes(origin)) return message(ctx, language, 'origin_not_allowed', m.originNotAllowed(origin || '?'), 403);
    const challenge = Buffer.from(challengeText, 'base64url');
    if (!/^[A-Za-z0-9_-]{43}$/.test(challengeText) || challenge.length !== 32) return message(ctx, language, 'bad_request', m.badRequest, 400);
    // Pages of other sites can load this URL too: only a top-level page load opens a request.
    if (!isTopLevelNavigation(ctx)) return message(ctx, language, 'not_a_navigation', m.badRequest, 403);
    const request = pending.open(origin, challenge, language);
    // Full: refused, never evicting a PIN page the citizen has open (docs/bridge.md).
    if (!request) return message(ctx, language, 'too_many_open', m.tooManyOpen, 503);
    await pinPage(ctx, request);
  });

  router.post('/login', async (ctx) => {
    const fallbackLanguage = languageOf(ctx);
    if (!isOwnOrigin(ctx.get('origin'), deps.port())) {
      // Only our own PIN page may submit a PIN: another page could otherwise burn the card's tries.
      return message(ctx, fallbackLanguage, 'forbidden_origin', bridgeMessages(fallbackLanguage).badRequest, 403);
    }
    const form = await readForm(ctx, PIN_FORM_LIMIT);
    const request = pending.find(form.get('request') ?? '', form.get('token') ?? '');
    if (!request) return message(ctx, fallbackLanguage, 'expired', bridgeMessages(fallbackLanguage).expired, 410);
    const m = bridgeMessages(request.language);
    const pin = form.get('pin') ?? '';
    if (!/^[0-9]{8}$/.test(pin)) return pinPage(ctx, request, { code: 'invalid_pin_format', text: m.invalidPinFormat });
    try {
      const { signature, certificate } = await deps.signer.sign(pin, digestToSign(request.origin, request.challenge));
      pending.close(request.id);
      const assertion = buildAssertion({ origin: request.origin, challenge: request.challenge, certificate, signature, bridgeVersion: deps.version });
      await renderPage(ctx, 'bridge/forward', { lang: request.language, m, origin: request.origin, assertion }, { formActions: [request.origin] });
    } catch (error) {
      if (!(error instanceof CodedError)) throw error;
      const text = cardFailureMessage(m, error.code, error.details.triesLeft);
      if (error.code === 'wrong_pin' || error.code === 'no_card' || error.code === 'no_reader' || error.code === 'card_removed' || error.code === 'timeout' || error.code === 'card_busy') {
        return pinPage(ctx, request, { code: error.code, text });
      }
      pending.close(request.id);
      return message(ctx, request.language, error.code, text, 409);
    }
  });

  app.use(loopbackGuard(deps.port));
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const language = languageOf(ctx);
      const m = bridgeMessages(language);
      if (error instanceof RequestBodyError) return message(ctx, language, error.code, m.badRequest, error.code === 'body_too_large' ? 413 : 415);
      // Never echo the error: it could in theory carry request data. Log only its code/name.
      console.error(`bridge: unexpected ${error instanceof CodedError ? error.code : (error as Error)?.name}`);
      return message(ctx, language, 'internal_error', m.cardError, 500);
    }
  });
  app.use(staticAssets('/assets'));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.silent = true;
  return app;
}
