import Router from '@koa/router';
import type { Context } from 'koa';
import type { AppApprovals } from '../../credentials/app-approvals.js';
import { appQrOutcome } from '../../credentials/app-level-outcomes.js';
import { ACR } from '../../oidc/acr.js';
import { errorMessage } from '../../shared/errors/error-table.js';
import { requestLanguage } from '../../shared/request-language.js';
import { bindingKey } from '../binding-key.js';
import { BrowserCeremonies } from '../browser-ceremonies.js';
import { handOutcome } from '../ceremony-outcome.js';
import { ceremonyErrorPages } from '../ceremony-error-pages.js';
import { unknownCeremony } from '../unknown-ceremony.js';
import { typedCode } from '../random-handles.js';
import type { SignInMethod } from '../sign-in-method.js';
import { waiterOf } from '../sign-in-waiter-lookup.js';
import type { AppApprovalDeps } from './app-approval-deps.js';
import { renderQrWaitingPage } from './app-qr-pages.js';
import { approvalOutcome } from '../approval-outcome.js';

export const APP_QR_METHOD = 'app-qr';
const APP_QR_PATH_NAME = 'app-qr';

/** The browser's side of a QR approval: which approval this page waits for. */
interface QrCeremony {
  approvalId: string;
}

/** The approval's status as the page's script polls it (never a secret, never a personal datum). */
const statusBody = (view: { state: string; code?: string; expiresAt: number }) => ({ state: view.state, ...(view.code ? { code: view.code } : {}), expires_at: view.expiresAt });

/**
 * "Entra con l'app CieID" (level 2, no password; docs/levels.md): the browser shows a QR of
 * `<origin>/app/l2#<nonce>` and a typed code; a certified device opens it, the citizen unlocks the key
 * and approves; the browser that owns the page (its cookie) finishes, and the citizen is the device's.
 */
export function appQrMethod(deps: AppApprovalDeps, approvals: AppApprovals): SignInMethod {
  const ceremonies = new BrowserCeremonies<QrCeremony>(deps.store, 'app', approvals.ttlSeconds + 60);
  const routes = new Router();
  routes.use(async (ctx, next) => (ctx.path.startsWith('/sign-in/app/') ? ceremonyErrorPages(ctx, next) : next()));

  const owned = async (ctx: Context) => {
    const found = await ceremonies.peek(ctx, String(ctx.params.id));
    const record = found && (await approvals.record(found.record.approvalId));
    return found && record ? { found, record } : undefined;
  };

  routes.get('/sign-in/app/:id', async (ctx) => {
    const language = requestLanguage(ctx);
    const step = await owned(ctx);
    if (!step) return unknownCeremony(ctx, language);
    const view = await approvals.state(step.record.id);
    if (ctx.accepts('html', 'json') === 'json') {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = statusBody(view);
      return undefined;
    }
    return renderQrWaitingPage(ctx, { ceremonyId: String(ctx.params.id), origin: deps.origin, record: step.record, view, language });
  });

  routes.get('/sign-in/app/:id/status', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const step = await owned(ctx);
    if (!step) {
      ctx.status = 404;
      ctx.body = { state: 'expired', code: 'challenge_unknown' };
      return;
    }
    ctx.body = statusBody(await approvals.state(step.record.id));
  });

  routes.post('/sign-in/app/:id/finish', async (ctx) => {
    const id = String(ctx.params.id);
    const language = requestLanguage(ctx);
    const step = await owned(ctx);
    if (!step) return unknownCeremony(ctx, language);
    const outcome = await approvalOutcome(approvals, step.record.id, APP_QR_METHOD, async (approved) => {
      const identity = await deps.devices.identityOf(approved.deviceId);
      if (!identity) return undefined;
      return { method: APP_QR_METHOD, fiscalCode: identity.fiscalCode, claims: identity.claims, ...appQrOutcome(approved.userVerification) };
    });
    // Still waiting (no script, "Continua" pressed early): the page again.
    if (outcome === 'waiting') {
      ctx.status = 303;
      ctx.redirect(`/sign-in/app/${id}?lang=${language}`);
      return undefined;
    }
    const ended = await ceremonies.take(ctx, id);
    if (!ended) return unknownCeremony(ctx, language);
    return handOutcome(ctx, deps, ended.boundTo, outcome);
  });

  routes.post('/sign-in/app/:id/cancel', async (ctx) => {
    const id = String(ctx.params.id);
    const language = requestLanguage(ctx);
    const step = await owned(ctx);
    if (!step) return unknownCeremony(ctx, language);
    await approvals.cancel(step.record.id);
    const outcome = await approvalOutcome(approvals, step.record.id, APP_QR_METHOD, async () => undefined);
    const ended = await ceremonies.take(ctx, id);
    if (!ended) return unknownCeremony(ctx, language);
    return handOutcome(ctx, deps, ended.boundTo, outcome === 'waiting' ? { kind: 'failure', method: APP_QR_METHOD, code: 'cancelled' } : outcome);
  });

  return {
    id: APP_QR_METHOD,
    level: 2,
    pathName: APP_QR_PATH_NAME,
    choiceView: 'sign-in/app-qr-choice',
    routes,
    failureMessage: (code, language) => errorMessage(code, language),
    async start(ctx, binding, language) {
      waiterOf(deps.waiters, binding);
      const record = await approvals.openQr({ requester: await deps.requesterOf(ctx, binding), level: ACR.L2, boundTo: bindingKey(binding), typedCode: typedCode() });
      const id = await ceremonies.open(ctx, binding, { approvalId: record.id });
      ctx.status = 303;
      ctx.redirect(`${ceremonies.basePath}/${id}?lang=${language}`);
    },
  };
}
