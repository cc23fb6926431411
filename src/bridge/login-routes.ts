import Router from '@koa/router';
import type { Context } from 'koa';
import { CodedError } from '../shared/coded-error.js';
import { readForm } from '../shared/form-body.js';
import { buildAssertion, digestToSign } from './assertion-builder.js';
import { renderBridgePage, signInLink } from './bridge-pages.js';
import { type BridgeState, languageOf, queryText, RETRYABLE_CARD_FAILURES, type SignedByCard } from './bridge-state.js';
import type { CardJob } from './card-jobs.js';
import { isOwnOrigin, isTopLevelNavigation } from './loopback-guard.js';
import { bridgeMessages, cardFailureMessage } from './messages.js';
import type { PendingRequest } from './pending-requests.js';
import { EIGHT_DIGITS } from './new-pin-policy.js';

const PIN_FORM_LIMIT = 2048;
const CARD_STEPS = ['card_found', 'secure_channel', 'pin_checked', 'signed'] as const;

/**
 * The sign-in pages: the PIN page for a provider's challenge, the card's progress, then an auto-submitted
 * form that carries the assertion back to that provider. The PIN is posted only to this loopback server,
 * handed to the card and forgotten; it never appears in a response, URL or log.
 *
 * With JavaScript the PIN form asks for the progress page (`progress=1`): the POST starts the card job
 * and answers 303 to a page that polls `/login/status` and then opens `/login/result`. Without
 * JavaScript the POST waits for the card and answers with the outcome itself.
 */
export function loginRoutes(state: BridgeState): Router {
  const { deps, pending, jobs } = state;
  const router = new Router();
  const helpOrigin = deps.allowedOrigins[0] ?? '';

  async function message(ctx: Context, request: PendingRequest | undefined, code: string, text: string, status: number): Promise<void> {
    const language = request?.language ?? languageOf(ctx);
    await renderBridgePage(ctx, 'message', language, { code, message: text }, { status, helpOrigin, signIn: request ? signInLink(request) : undefined });
  }

  async function pinPage(ctx: Context, request: PendingRequest, notice?: { code: string; text: string }): Promise<void> {
    await renderBridgePage(ctx, 'pin', request.language, {
      requestId: request.id,
      formToken: request.formToken,
      notice: notice?.text,
      noticeCode: notice?.code,
    }, { status: notice ? 400 : 200, helpOrigin, signIn: signInLink(request) });
  }

  /** What the citizen sees once the card is done: the assertion on its way, or what went wrong. */
  async function outcomePage(ctx: Context, request: PendingRequest, job: CardJob<SignedByCard>): Promise<void> {
    const m = bridgeMessages(request.language);
    const outcome = job.outcome!;
    if (outcome.ok) {
      pending.close(request.id);
      const assertion = buildAssertion({ origin: request.origin, challenge: request.challenge, ...outcome.value, bridgeVersion: deps.version });
      return renderBridgePage(ctx, 'forward', request.language, { assertion }, { helpOrigin, signIn: signInLink(request) });
    }
    const { error } = outcome;
    if (!(error instanceof CodedError)) throw error;
    const text = cardFailureMessage(m, error.code, error.details.triesLeft);
    if (RETRYABLE_CARD_FAILURES.has(error.code)) return pinPage(ctx, request, { code: error.code, text });
    // Kept open: after unblocking the PIN the citizen comes back to this same sign-in.
    if (error.code === 'pin_blocked') return renderBridgePage(ctx, 'blocked', request.language, { code: error.code }, { status: 409, helpOrigin, signIn: signInLink(request) });
    pending.close(request.id);
    return message(ctx, request, error.code, text, 409);
  }

  router.get('/login', async (ctx) => {
    const language = languageOf(ctx);
    const m = bridgeMessages(language);
    const origin = queryText(ctx, 'origin');
    const challengeText = queryText(ctx, 'challenge');
    if (!deps.allowedOrigins.includes(origin)) return message(ctx, undefined, 'origin_not_allowed', m.originNotAllowed(origin || '?'), 403);
    const challenge = Buffer.from(challengeText, 'base64url');
    if (!/^[A-Za-z0-9_-]{43}$/.test(challengeText) || challenge.length !== 32) return message(ctx, undefined, 'bad_request', m.badRequest, 400);
    // Pages of other sites can load this URL too: only a top-level page load opens a request.
    if (!isTopLevelNavigation(ctx)) return message(ctx, undefined, 'not_a_navigation', m.badRequest, 403);
    const request = pending.open(origin, challenge, language);
    // Full: refused, never evicting a PIN page the citizen has open (docs/bridge.md).
    if (!request) return message(ctx, undefined, 'too_many_open', m.tooManyOpen, 503);
    await pinPage(ctx, request);
  });

  router.post('/login', async (ctx) => {
    const fallbackLanguage = languageOf(ctx);
    if (!isOwnOrigin(ctx.get('origin'), deps.port())) {
      // Only our own PIN page may submit a PIN: another page could otherwise burn the card's tries.
      return message(ctx, undefined, 'forbidden_origin', bridgeMessages(fallbackLanguage).badRequest, 403);
    }
    const form = await readForm(ctx, PIN_FORM_LIMIT);
    const request = pending.find(form.get('request') ?? '', form.get('token') ?? '');
    if (!request) return message(ctx, undefined, 'expired', bridgeMessages(fallbackLanguage).expired, 410);
    const m = bridgeMessages(request.language);
    const pin = form.get('pin') ?? '';
    if (!EIGHT_DIGITS.test(pin)) return pinPage(ctx, request, { code: 'invalid_pin_format', text: m.invalidPinFormat });
    const digest = digestToSign(request.origin, request.challenge);
    const job = jobs.start(request.id, (onStep) => deps.signer.sign(pin, digest, onStep));
    if (form.get('progress') === '1') {
      ctx.status = 303;
      ctx.redirect(`/login/progress?job=${job.id}`);
      return;
    }
    // A double submit joins the running job; whichever answer comes first hands out the outcome.
    await job.done;
    await jobs.take(job.id);
    await outcomePage(ctx, request, job);
  });

  router.get('/login/progress', async (ctx) => {
    const job = jobs.get(queryText(ctx, 'job'));
    const request = job && pending.peek(job.owner);
    if (!job || !request) return message(ctx, undefined, 'expired', bridgeMessages(languageOf(ctx)).expired, 410);
    await renderBridgePage(ctx, 'progress', request.language, { jobId: job.id, steps: CARD_STEPS, done: new Set(job.steps) }, { helpOrigin, signIn: signInLink(request), connectToSelf: true });
  });

  // Polled by the progress page's script (same origin); the id is the only key.
  router.get('/login/status', (ctx) => {
    const job = jobs.get(queryText(ctx, 'job'));
    ctx.set('Cache-Control', 'no-store');
    if (!job) {
      ctx.status = 404;
      ctx.body = { error: 'unknown_job' };
      return;
    }
    ctx.body = { state: job.outcome ? 'finished' : 'running', steps: job.steps };
  });

  router.get('/login/result', async (ctx) => {
    const job = await jobs.take(queryText(ctx, 'job'));
    const request = job && pending.peek(job.owner);
    if (!job || !request) return message(ctx, undefined, 'expired', bridgeMessages(languageOf(ctx)).expired, 410);
    await outcomePage(ctx, request, job);
  });

  return router;
}
