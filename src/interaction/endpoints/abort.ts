import type { Context } from 'koa';
import { finishInteraction } from '../finish-interaction.js';
import type { InteractionDeps } from '../interaction-deps.js';
import { interactionFor } from '../load-interaction.js';
import { noLoginRecords } from '../login-records.js';
import { methodsFor } from '../methods-for-request.js';
import { consentingAccount } from '../pending-login.js';

/**
 * GET /interaction/:uid/abort ("Annulla e torna al servizio"): recorded as a cancelled sign-in whose
 * method is the methods the page offered (space-separated; no method had finished), then the RP
 * gets access_denied.
 */
export async function abort(deps: InteractionDeps, ctx: Context): Promise<void> {
  const details = await interactionFor(deps.provider, ctx);
  const offered = methodsFor(deps.methods, details.params.acr_values).map((method) => method.id).join(' ');
  const accountId = consentingAccount(details);
  await (deps.records ?? noLoginRecords).signIn({ interactionUid: details.uid, clientId: String(details.params.client_id), method: offered, outcome: 'cancelled', errorCode: 'access_denied', requestParameters: details.params, ...(accountId ? { accountId } : {}) });
  await finishInteraction(ctx, details, { error: 'access_denied', error_description: 'the citizen cancelled the sign-in' }, { mergeWithLastSubmission: false });
}
