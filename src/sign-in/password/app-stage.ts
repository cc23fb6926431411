import type { Context } from 'koa';
import { AppFactorError } from '../../credentials/app-factor-error.js';
import { pushOutcome } from '../../credentials/app-level-outcomes.js';
import { answerError } from '../../shared/errors/answer-error.js';
import { ACR } from '../../oidc/acr.js';
import { renderPage } from '../../shared/html.js';
import type { Language } from '../../shared/language.js';
import { loggerFor } from '../../shared/logger.js';
import { requestLanguage } from '../../shared/request-language.js';
import { appMessages } from '../app-messages.js';
import { approvalOutcome } from '../approval-outcome.js';
import type { BrowserCeremonies } from '../browser-ceremonies.js';
import { waiterOf } from '../sign-in-waiter-lookup.js';
import { backHrefOf, ceremonyBinding, handOutcome } from '../ceremony-outcome.js';
import { PASSWORD_AND_APP_METHOD, type PasswordCeremony, type PasswordSignInDeps } from './password-sign-in-deps.js';
import { postedStep } from './posted-step.js';
import { unknownCeremony } from '../unknown-ceremony.js';

type AppStage = Extract<PasswordCeremony, { stage: 'app' }>;
const FORM_LIMIT = 1024;

/**
 * After the password (`password-app`, level 2): a push approval to the citizen's default certified
 * device with the number this page shows, then the waiting page. No certified device: a page that
 * says so and leads back to the other methods (the password is already right, so this tells a
 * stranger nothing).
 */
export async function startAppStage(deps: PasswordSignInDeps, ceremonies: BrowserCeremonies<PasswordCeremony>, ctx: Context, step: { id: string; language: Language; boundTo: string; citizenIndex: string }): Promise<void> {
  const app = deps.app;
  if (!app) return unknownCeremony(ctx, step.language);
  const binding = ceremonyBinding(deps.waiters, step.boundTo);
  const device = await app.devices.defaultOf(step.citizenIndex);
  if (!device) {
    await ceremonies.take(ctx, step.id);
    const waiter = waiterOf(deps.waiters, binding);
    const m = appMessages(step.language);
    return renderPage(ctx, 'sign-in/app-no-device', { lang: step.language, m, title: m.noDeviceTitle, assets: '/assets', backHref: waiter.pagePath?.(binding.id) ?? waiter.backPath?.(binding.id) }, { status: 404 });
  }
  const requester = await app.requesterOf(ctx, binding);
  let record;
  try {
    record = await app.approvals.openPush({ citizenIndex: step.citizenIndex, deviceId: device.deviceId, requester, level: ACR.L2, boundTo: step.boundTo });
  } catch (error) {
    if (!(error instanceof AppFactorError)) throw error;
    const backHref = backHrefOf(deps.waiters, step.boundTo);
    return answerError(ctx, { code: error.code, language: step.language, retryAfterSeconds: 600, ...(backHref ? { back: { href: backHref } } : {}) });
  }
  // A wake-up only (the app pulls the approval): its failure must not fail the sign-in.
  await app.notifier.notify(device.deviceId).catch((error: unknown) => loggerFor('credentials').warn({ event: 'app_notify_failed', error }, 'credentials: the app could not be woken'));
  const next: AppStage = { level: 2, stage: 'app', language: step.language, citizenIndex: step.citizenIndex, approvalId: record.id, number: record.number!, requester };
  if (!(await ceremonies.advance(ctx, step.id, next))) return unknownCeremony(ctx, step.language);
  ctx.status = 303;
  ctx.redirect(`${ceremonies.basePath}/${step.id}?lang=${step.language}`);
}

/** The push's waiting page: the number to pick on the app, the live status, "Continua" and "Annulla". */
export async function renderAppStage(deps: PasswordSignInDeps, ctx: Context, id: string, ceremony: AppStage, boundTo: string): Promise<void> {
  const language = requestLanguage(ctx);
  const m = appMessages(language);
  const view = await deps.app!.approvals.state(ceremony.approvalId);
  const base = `/sign-in/password/${id}`;
  return renderPage(ctx, 'sign-in/password-app', {
    lang: language,
    m,
    title: m.pushTitle,
    assets: '/assets',
    number: ceremony.number,
    requester: ceremony.requester,
    state: view.state,
    statusPath: `${base}/status`,
    finishPath: `${base}/finish`,
    cancelPath: `${base}/cancel`,
    backHref: backHrefOf(deps.waiters, boundTo),
  }, { languageSwitchPath: base, connectToSelf: true });
}

/** GET /sign-in/password/:id/status: the push's state, polled by the page (owner's cookie only). */
export async function appStatus(deps: PasswordSignInDeps, ceremonies: BrowserCeremonies<PasswordCeremony>, ctx: Context): Promise<void> {
  ctx.set('Cache-Control', 'no-store');
  const found = await ceremonies.peek(ctx, String(ctx.params.id));
  if (!found || found.record.stage !== 'app' || !deps.app) {
    ctx.status = 404;
    ctx.body = { state: 'expired', code: 'challenge_unknown' };
    return;
  }
  const view = await deps.app.approvals.state(found.record.approvalId);
  ctx.body = { state: view.state, ...(view.code ? { code: view.code } : {}), expires_at: view.expiresAt };
}

/**
 * POST /sign-in/password/:id/finish: once the device answered, the outcome goes to the waiter — the
 * citizen (level 2, `pwd swk <uv> mfa`) when the password's citizen's device approved, the failure
 * otherwise (denied, wrong number, expired). Still waiting: the page again.
 */
export async function appFinish(deps: PasswordSignInDeps, ceremonies: BrowserCeremonies<PasswordCeremony>, ctx: Context): Promise<void> {
  const step = await postedStep(ctx, ceremonies, 'app', FORM_LIMIT);
  if (!step || !deps.app) return step ? unknownCeremony(ctx, step.language) : undefined;
  const ceremony = step.found.record;
  const outcome = await approvalOutcome(deps.app.approvals, ceremony.approvalId, PASSWORD_AND_APP_METHOD, async (approved) => {
    // The device is the one the push was sent to, of the citizen whose password was right.
    if (approved.citizenIndex !== ceremony.citizenIndex) return undefined;
    // …and still certified: a device withdrawn after it answered (a stolen phone) signs no one in, as for the QR.
    if ((await deps.app!.devices.live(approved.deviceId))?.citizenIndex !== ceremony.citizenIndex) return undefined;
    const citizen = await deps.credentials.store.citizenByIndex(ceremony.citizenIndex);
    // The identity stored at activation (read from the card), as the other password methods hand it.
    return citizen && { method: PASSWORD_AND_APP_METHOD, fiscalCode: citizen.identity.fiscalCode, claims: citizen.identity.claims, ...pushOutcome(approved.userVerification) };
  });
  if (outcome === 'waiting') {
    ctx.status = 303;
    ctx.redirect(`${ceremonies.basePath}/${step.id}?lang=${step.language}`);
    return undefined;
  }
  const ended = await ceremonies.take(ctx, step.id);
  if (!ended) return unknownCeremony(ctx, step.language);
  return handOutcome(ctx, deps, ended.boundTo, outcome);
}

/** POST /sign-in/password/:id/cancel: the browser gives up; the approval can no longer be answered (a failure the app already caused keeps its code). */
export async function appCancel(deps: PasswordSignInDeps, ceremonies: BrowserCeremonies<PasswordCeremony>, ctx: Context): Promise<void> {
  const step = await postedStep(ctx, ceremonies, 'app', FORM_LIMIT);
  if (!step || !deps.app) return step ? unknownCeremony(ctx, step.language) : undefined;
  await deps.app.approvals.cancel(step.found.record.approvalId);
  const ended = await ceremonies.take(ctx, step.id);
  if (!ended) return unknownCeremony(ctx, step.language);
  const view = await deps.app.approvals.state(step.found.record.approvalId);
  return handOutcome(ctx, deps, ended.boundTo, { kind: 'failure', method: PASSWORD_AND_APP_METHOD, code: view.code ?? 'cancelled' });
}
