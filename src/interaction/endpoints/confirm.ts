import type { Context } from 'koa';
import { grantsOfflineAccess } from '../../oidc/offline-access-scope.js';
import { readForm } from '../../shared/form-body.js';
import { consentAttributes } from '../consent-attributes.js';
import { consentGrant } from '../consent-grant.js';
import { consentRequest } from '../consent-request.js';
import { finishInteraction } from '../finish-interaction.js';
import type { InteractionDeps } from '../interaction-deps.js';
import { InteractionError } from '../interaction-error.js';
import { interactionFor } from '../load-interaction.js';
import { consentingAccount, consentPending, pendingLogin } from '../pending-login.js';

const SMALL_BODY_LIMIT = 4 * 1024;

/**
 * POST /interaction/:uid/confirm ("Autorizza"): the grant saved, the consent recorded, the offline grant
 * indexed; a sign-in held in this interaction ends with it, as one result (pending-login.ts).
 */
export async function confirm(deps: InteractionDeps, ctx: Context): Promise<void> {
  const details = await interactionFor(deps.provider, ctx);
  if (!consentPending(details)) throw new InteractionError('wrong_prompt', 'no consent pending');
  const form = await readForm(ctx, SMALL_BODY_LIMIT);
  const asked = consentRequest(details);
  const accountId = String(consentingAccount(details));
  const grant = await consentGrant(deps.provider, details, accountId, asked, form.get('offline_access') === 'on');
  const grantId = await grant.save();
  const offline = grantsOfflineAccess(grant);
  // The attributes released are read for the consent's record only: without a registry, nothing needs them here.
  if (deps.records) {
    const accountClaims = (await deps.accounts.claimsOf(accountId)) ?? {};
    const released = Object.fromEntries(consentAttributes(asked.scopes, asked.claims, accountClaims, 'it').map((attribute) => [attribute.claim, accountClaims[attribute.claim]]));
    await deps.records.consent({ clientId: String(details.params.client_id), accountId, grantId, scopes: grant.getOIDCScope().split(' ').filter(Boolean), released, offlineAccess: offline });
  }
  // Recorded before the RP can get a refresh token, so the citizen can always find and withdraw it.
  if (offline) {
    await Promise.all([deps.offlineGrants.record(accountId, grantId, grant.remainingTTL), deps.accounts.keepForOfflineGrant(accountId, grantId, grant.remainingTTL)]);
  }
  const login = pendingLogin(details);
  await finishInteraction(ctx, details, { ...(login ? { login } : {}), consent: { grantId } }, { mergeWithLastSubmission: true });
}
