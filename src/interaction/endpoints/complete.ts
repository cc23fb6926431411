import type { Context } from 'koa';
import type { SignInMethod } from '../../sign-in/sign-in-method.js';
import type { VerifiedCitizen } from '../../sign-in/verified-citizen.js';
import type { InteractionDeps } from '../interaction-deps.js';
import { renderErrorPage } from '../../shared/errors/render-error-page.js';
import { requestLanguage } from '../../shared/request-language.js';
import { retryLinks, showFailure } from '../interaction-pages.js';
import { interactionBinding } from '../interaction-waiter.js';
import { interactionFor } from '../load-interaction.js';
import { noLoginRecords } from '../login-records.js';
import { InteractionError } from '../interaction-error.js';
import { methodsFor, satisfiesRequest } from '../methods-for-request.js';
import { holdLoginForConsent, pendingLogin } from '../pending-login.js';
import { renderConsentPage } from '../consent-page.js';

function methodOf(deps: InteractionDeps, id: string): SignInMethod {
  const method = deps.methods.find((candidate) => candidate.id === id);
  if (!method) throw new Error(`a ticket of the sign-in method ${id}, which is not composed`);
  return method;
}

/**
 * GET /interaction/:uid/cie/complete?ticket=…: every method sends the browser here with its outcome's
 * ticket. The GET carries the interaction cookie, so only the browser that both owns the interaction
 * and finished the method redeems it; a verified citizen becomes the login, with the method's acr/amr.
 * Whatever produced the ticket, a citizen below the request's level never finishes it (the starts are
 * gated too: this is the second lock, so a level-3 request is never answered by less). The login then
 * waits in the interaction (pending-login.ts) and this answer is the consent page; reloaded, its spent
 * ticket draws the consent again.
 */
export async function complete(deps: InteractionDeps, ctx: Context): Promise<void> {
  const details = await interactionFor(deps.provider, ctx);
  const lang = requestLanguage(ctx, details.params.ui_locales);
  const records = deps.records ?? noLoginRecords;
  const outcome = await deps.tickets.redeem(String(ctx.query.ticket ?? ''), interactionBinding(details.uid));
  if (!outcome) {
    if (pendingLogin(details)) return renderConsentPage(deps, ctx, details, lang);
    // "Riprova" starts the first method the login page offers again.
    const first = methodsFor(deps.methods, details.params.acr_values)[0];
    return renderErrorPage(ctx, { code: 'challenge_unknown', language: lang, ...(first ? retryLinks(details.uid, first) : {}) });
  }
  const signIn = { interactionUid: details.uid, clientId: String(details.params.client_id), requestParameters: details.params };
  if (outcome.kind === 'failure') {
    await records.signIn({ ...signIn, method: outcome.method, outcome: outcome.code === 'cancelled' ? 'cancelled' : 'refused', errorCode: outcome.code });
    return showFailure(ctx, lang, details.uid, methodOf(deps, outcome.method), outcome.code);
  }
  const citizen: VerifiedCitizen = outcome.citizen;
  if (!satisfiesRequest(citizen.acr, details.params.acr_values)) {
    await records.signIn({ ...signIn, method: citizen.method, outcome: 'refused', errorCode: 'wrong_prompt', acr: citizen.acr, amr: [...citizen.amr] });
    throw new InteractionError('wrong_prompt', `${citizen.method} reached ${citizen.acr}, below the request's acr_values`);
  }
  const { accountId, claims } = await deps.accounts.saveFromCard(citizen.fiscalCode, citizen.claims);
  // Durable before the login finishes: a registry that cannot write makes this step a 503 (docs/registry.md).
  await records.signIn({ ...signIn, method: citizen.method, accountId, outcome: 'authenticated', acr: citizen.acr, amr: [...citizen.amr], attributes: citizen.claims, ...(citizen.certificateSerial ? { certificateSerial: citizen.certificateSerial } : {}) });
  await holdLoginForConsent(details, { accountId, acr: citizen.acr, amr: [...citizen.amr], remember: false, ts: Math.floor(Date.now() / 1000) });
  // The attributes just saved: the page need not read them back.
  return renderConsentPage(deps, ctx, details, lang, claims);
}
