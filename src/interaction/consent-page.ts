import type { Context } from 'koa';
import type { Interaction } from 'oidc-provider';
import { renderPage } from '../shared/html.js';
import type { Language } from '../shared/language.js';
import type { AccountClaims } from '../oidc/accounts.js';
import { consentAttributes } from './consent-attributes.js';
import { consentRequest } from './consent-request.js';
import type { InteractionDeps } from './interaction-deps.js';
import { pageData } from './interaction-pages.js';
import { interactionPagePath } from './interaction-waiter.js';
import { clientName } from './load-interaction.js';
import { consentingAccount } from './pending-login.js';

/**
 * The consent page: the attributes this consent releases to the RP, and the offline-access switch
 * when the request asks for it. Its language switch leads to the interaction's own page, whatever
 * URL drew it (the sign-in's completion draws it too). `saved`: the consenting account's attributes when
 * the caller has just saved them; otherwise they are read.
 */
export async function renderConsentPage(deps: Pick<InteractionDeps, 'provider' | 'accounts'>, ctx: Context, details: Interaction, lang: Language, saved?: AccountClaims): Promise<void> {
  const asked = consentRequest(details);
  const [name, claims] = await Promise.all([clientName(deps.provider, details.params.client_id), saved ?? deps.accounts.claimsOf(String(consentingAccount(details)))]);
  return renderPage(ctx, 'consent', pageData(lang, (m) => m.consentTitle, {
    uid: details.uid,
    clientName: name,
    attributes: consentAttributes(asked.scopes, asked.claims, claims ?? {}, lang),
    offlineRequested: asked.offlineAccess,
  }), { languageSwitchPath: interactionPagePath(details.uid) });
}
