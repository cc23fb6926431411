import type { Context } from 'koa';
import { renderPage } from '../../shared/html.js';
import { isPhoneBrowser } from '../../shared/phone-browser.js';
import { consentAttributes } from '../consent-attributes.js';
import { consentRequest } from '../consent-request.js';
import type { InteractionDeps } from '../interaction-deps.js';
import { InteractionError } from '../interaction-error.js';
import { requestLanguage } from '../../shared/request-language.js';
import { pageData } from '../interaction-pages.js';
import { clientName, interactionFor } from '../load-interaction.js';
import { methodsFor } from '../methods-for-request.js';
import { consentingAccount, consentPending } from '../pending-login.js';

/**
 * GET /interaction/:uid: the login page (the methods that satisfy the request's level) or the consent
 * page (oidc-provider's consent prompt, or a sign-in finished in this interaction: pending-login.ts).
 */
export async function show(deps: InteractionDeps, ctx: Context): Promise<void> {
  const details = await interactionFor(deps.provider, ctx);
  const lang = requestLanguage(ctx, details.params.ui_locales);
  const name = await clientName(deps.provider, details.params.client_id);
  if (consentPending(details)) {
    const asked = consentRequest(details);
    const claims = (await deps.accounts.claimsOf(String(consentingAccount(details)))) ?? {};
    return renderPage(ctx, 'consent', pageData(lang, (m) => m.consentTitle, {
      uid: details.uid,
      clientName: name,
      attributes: consentAttributes(asked.scopes, asked.claims, claims, lang),
      offlineRequested: asked.offlineAccess,
    }));
  }
  if (details.prompt.name === 'login') {
    const methods = methodsFor(deps.methods, details.params.acr_values).map((method) => ({
      id: method.id,
      view: method.choiceView,
      startPath: `/interaction/${details.uid}/${method.pathName}`,
    }));
    return renderPage(ctx, 'login', pageData(lang, (m) => m.loginTitle, { uid: details.uid, clientName: name, notice: undefined, methods, onPhone: isPhoneBrowser(ctx) }));
  }
  throw new InteractionError('wrong_prompt', `unexpected prompt ${details.prompt.name}`);
}
