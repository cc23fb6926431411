import Router from '@koa/router';
import type { Context } from 'koa';
import { errorMessage } from '../../shared/errors/error-table.js';
import { renderErrorPage } from '../../shared/errors/render-error-page.js';
import { readForm, RequestBodyError } from '../../shared/form-body.js';
import type { Language } from '../../shared/language.js';
import { requestLanguage } from '../../shared/request-language.js';
import type { FixedWindowLimiter } from '../../storage/state/rate-limiter.js';
import { StorageUnavailableError } from '../../storage/storage-unavailable-error.js';
import { rateLimitHits } from '../../observability/metrics.js';
import { hitNetworkLimit } from '../network-limit.js';
import type { SignInBinding, SignInWaiters } from '../sign-in-binding.js';
import { JsonBodyError, readJsonObject } from '../json-body.js';
import { qrLink, qrSvg } from '../qr-code.js';
import { displayTypedCode } from '../random-handles.js';
import type { SessionEventHub } from './session-event-hub.js';
import { isFinal } from './session-state.js';
import { errorBody, SmartphoneError, smartphoneStatus } from './smartphone-error.js';
import { renderQrHelpPage, renderSessionPage, renderSmartphoneFailure } from './smartphone-pages.js';
import type { SmartphoneSessions } from './smartphone-sessions.js';
import type { VerifiedCitizen } from '../verified-citizen.js';
import { verifiedByPhone } from './verified-by-phone.js';
import { PHONE_BROWSER } from './smartphone-sign-in-method.js';

const browserSecretOf = (ctx: Context, id: string) => PHONE_BROWSER.secretOf(ctx, id);

export interface SmartphoneRoutesDeps {
  sessions: SmartphoneSessions;
  hub: SessionEventHub;
  /** Per client network, on every app and desktop call (the typed code and the OTP are guessable by nobody within it). */
  perNetwork: FixedWindowLimiter;
  /**
   * The waiter takes over once the code is confirmed: the wiring issues the completion ticket and
   * answers with the waiter's completion path (JSON for the desktop's OTP post, a 303 for the hand-back).
   */
  onConfirmed: (binding: SignInBinding, citizen: VerifiedCitizen) => Promise<string>;
  /** The waiters, for the links of a failure page ("Riprova", "Torna al servizio"). */
  waiters: SignInWaiters;
}

/**
 * A browser's navigation (the desktop page, its forms, the hand-back) gets pages; the app's calls,
 * and any client that asks for JSON (or an event stream), get JSON.
 */
const wantsPage = (ctx: Context) => !ctx.path.startsWith('/smartphone/app/') && ctx.accepts('html', 'json') === 'html';
/** A citizen's page of this room (the storage guard's 503 is then the HTML page, not JSON): the app's calls and JSON clients are not. */
export const isSmartphonePage = (ctx: Context): boolean => ctx.path.startsWith('/smartphone/') && wantsPage(ctx);
const isForm = (ctx: Context) => Boolean(ctx.is('application/x-www-form-urlencoded'));
/** The OTP and cancel forms carry one short field. */
const FORM_LIMIT_BYTES = 1024;

/** The app's calls keep no cookie (a native client); the desktop page's carry the site's `lang` cookie. */
const languageOf = (ctx: Context) => requestLanguage(ctx, undefined, { cookie: false });

/** Every error of these endpoints is the JSON of docs/app-protocol.md "Errors"; anything unexpected is not caught here. */
async function answering(ctx: Context, work: () => Promise<void>): Promise<void> {
  ctx.set('Cache-Control', 'no-store');
  try {
    await work();
  } catch (error) {
    if (!(error instanceof SmartphoneError || error instanceof JsonBodyError)) throw error;
    ctx.status = smartphoneStatus(error.code);
    ctx.body = errorBody(error.code, languageOf(ctx));
  }
}

/**
 * The smartphone sign-in's own endpoints (docs/app-protocol.md): the app's JSON API under
 * /smartphone/app/, the desktop page's stream, OTP and cancel under /smartphone/session/:id/, and
 * the same-device hand-back /smartphone/return/:id.
 */
export function smartphoneRoutes(deps: SmartphoneRoutesDeps): Router {
  const { sessions, hub } = deps;
  const router = new Router();

  /**
   * A page's answer: a refusal is the error page, with the waiter's links once the session (its
   * binding) is known; `known.binding` is set by the work as soon as it has read the session.
   */
  const page = (work: (ctx: Context, lang: Language, known: { binding?: SignInBinding }) => Promise<void>) => async (ctx: Context) => {
    const lang = requestLanguage(ctx);
    const known: { binding?: SignInBinding } = {};
    try {
      await work(ctx, lang, known);
    } catch (error) {
      if (error instanceof SmartphoneError) return renderSmartphoneFailure(ctx, deps.waiters, known.binding, error.code, lang, smartphoneStatus(error.code));
      if (error instanceof RequestBodyError) return renderErrorPage(ctx, { code: error.code, language: lang });
      throw error;
    }
    return undefined;
  };

  // Storage down: the request is already flagged, and the provider's storage guard answers its 503 (the
  // page for a browser, JSON for the app); not an unhandled error.
  router.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof StorageUnavailableError)) throw error;
      ctx.status = 503;
    }
  });

  router.use(async (ctx, next) => {
    if (!deps.perNetwork.enabled) return next();
    const verdict = await hitNetworkLimit(ctx, deps.perNetwork, 'smartphone');
    if (verdict.allowed) return next();
    rateLimitHits.inc({ limit: 'too_many_requests' });
    if (wantsPage(ctx)) return renderErrorPage(ctx, { code: 'too_many_requests', language: requestLanguage(ctx), retryAfterSeconds: verdict.retryAfterSeconds });
    ctx.set('Retry-After', String(verdict.retryAfterSeconds));
    ctx.status = 429;
    ctx.body = errorBody('too_many_requests', languageOf(ctx));
    return undefined;
  });

  // A phone camera that read the QR without the CieID app (the nonce stays in the fragment).
  router.get('/smartphone/qr', (ctx) => renderQrHelpPage(ctx, requestLanguage(ctx)));

  router.post('/smartphone/app/open', (ctx) =>
    answering(ctx, async () => {
      const body = await readJsonObject(ctx);
      const opened = await sessions.open({ qr: body.qr, code: body.code });
      await hub.notify(opened.sessionId);
      ctx.body = {
        app_token: opened.appToken,
        origin: opened.origin,
        requester: opened.requester,
        level: opened.level,
        challenge: opened.challenge,
        card_number_required: opened.cardNumberRequired,
        expires_at: opened.expiresAt,
      };
    }),
  );

  router.post('/smartphone/app/assertion', (ctx) =>
    answering(ctx, async () => {
      const body = await readJsonObject(ctx);
      let result;
      try {
        result = await sessions.acceptAssertion(body.app_token, body.assertion);
      } catch (error) {
        const sessionId = error instanceof SmartphoneError ? error.details.sessionId : undefined;
        if (typeof sessionId === 'string') await hub.notify(sessionId);
        throw error;
      }
      await hub.notify(result.sessionId);
      ctx.body = result.mode === 'cross_device' ? { mode: result.mode, otp: result.otp, expires_at: result.expiresAt } : { mode: result.mode, hand_back_url: `${sessions.origin}${result.handBackPath}`, expires_at: result.expiresAt };
    }),
  );

  const sessionPage = page(async (ctx, lang, known): Promise<void> => {
    const id = ctx.params.id!;
    const record = await sessions.ownedRecord(id, browserSecretOf(ctx, id));
    known.binding = record.binding;
    const view = await sessions.state(record.id);
    // Nothing left to wait for: why, and the way back (the page's script reloads on these states).
    if (isFinal(view.state)) return renderSmartphoneFailure(ctx, deps.waiters, record.binding, view.state === 'otp_confirmed' ? 'wrong_state' : (view.code ?? 'session_expired'), lang);
    return renderSessionPage(ctx, record, view, lang);
  });

  router.get('/smartphone/session/:id', (ctx) => wantsPage(ctx) ? sessionPage(ctx) :
    answering(ctx, async () => {
      const id = ctx.params.id!;
      const record = await sessions.ownedRecord(id, browserSecretOf(ctx, id));
      const link = qrLink(record.origin, record.qrNonce);
      ctx.body = { state: (await sessions.state(record.id)).state, qr_link: link, qr_svg: await qrSvg(link), typed_code: record.typedCode ? displayTypedCode(record.typedCode) : '', mode: record.mode };
    }),
  );

  router.get('/smartphone/session/:id/events', (ctx) =>
    answering(ctx, async () => {
      const id = ctx.params.id!;
      await sessions.checkOwner(id, browserSecretOf(ctx, id));
      // Written to the raw response, not piped by koa: a page that goes away is the normal end of a
      // stream, not an error to log. The head goes out with the first line, after the stream limits
      // passed, so a refusal is still the JSON error.
      const res = ctx.res;
      const write = (text: string) => {
        if (res.writableEnded) return;
        if (!res.headersSent) {
          ctx.respond = false;
          res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
        }
        res.write(text);
      };
      ctx.req.socket.setTimeout(0);
      ctx.req.socket.setNoDelay(true);
      const close = await hub.subscribe(id, { write, end: () => void (res.writableEnded || res.end()) }, ctx.get('last-event-id') || undefined);
      if (res.destroyed) close();
      else res.on('close', close);
    }),
  );

  // The page's forms (no script needed): a right code goes on to the waiter, a wrong one draws the page again.
  const otpForm = page(async (ctx, lang, known) => {
    const id = ctx.params.id!;
    const secret = browserSecretOf(ctx, id);
    const record = await sessions.ownedRecord(id, secret);
    known.binding = record.binding;
    const form = await readForm(ctx, FORM_LIMIT_BYTES);
    try {
      const { binding, citizen } = await sessions.confirm(id, secret, (form.get('otp') ?? '').trim());
      ctx.status = 303;
      ctx.redirect(await deps.onConfirmed(binding, verifiedByPhone(citizen)));
    } catch (error) {
      if (!(error instanceof SmartphoneError && error.code === 'wrong_otp')) throw error;
      await renderSessionPage(ctx, record, await sessions.state(record.id), lang, errorMessage('wrong_otp', lang));
    } finally {
      await hub.notify(record.id);
    }
  });

  const cancelForm = page(async (ctx, lang, known) => {
    const id = ctx.params.id!;
    const secret = browserSecretOf(ctx, id);
    const record = await sessions.ownedRecord(id, secret);
    known.binding = record.binding;
    await sessions.cancel(id, secret);
    await hub.notify(record.id);
    await renderSmartphoneFailure(ctx, deps.waiters, record.binding, 'cancelled', lang);
  });

  const handBack = page(async (ctx, _lang, known) => {
    const id = ctx.params.id!;
    const secret = browserSecretOf(ctx, id);
    known.binding = (await sessions.ownedRecord(id, secret)).binding;
    const { binding, citizen } = await sessions.confirm(id, secret, ctx.query.code);
    await hub.notify(id);
    ctx.status = 303;
    ctx.redirect(await deps.onConfirmed(binding, verifiedByPhone(citizen)));
  });

  router.post('/smartphone/session/:id/otp', (ctx) => isForm(ctx) ? otpForm(ctx) :
    answering(ctx, async () => {
      const id = ctx.params.id!;
      const body = await readJsonObject(ctx);
      try {
        const { binding, citizen } = await sessions.confirm(id, browserSecretOf(ctx, id), body.otp);
        ctx.body = { state: 'otp_confirmed', next: await deps.onConfirmed(binding, verifiedByPhone(citizen)) };
      } finally {
        await hub.notify(id);
      }
    }),
  );

  router.post('/smartphone/session/:id/cancel', (ctx) => isForm(ctx) ? cancelForm(ctx) :
    answering(ctx, async () => {
      const id = ctx.params.id!;
      await sessions.cancel(id, browserSecretOf(ctx, id));
      await hub.notify(id);
      ctx.body = { state: 'failed', code: 'cancelled' };
    }),
  );

  router.get('/smartphone/return/:id', (ctx) => wantsPage(ctx) ? handBack(ctx) :
    answering(ctx, async () => {
      const id = ctx.params.id!;
      const { binding, citizen } = await sessions.confirm(id, browserSecretOf(ctx, id), ctx.query.code);
      await hub.notify(id);
      ctx.status = 303;
      ctx.redirect(await deps.onConfirmed(binding, verifiedByPhone(citizen)));
    }),
  );

  return router;
}
