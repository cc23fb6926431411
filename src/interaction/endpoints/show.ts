import type { Context } from 'koa';
import { renderPage } from '../../shared/html.js';
import { isPhoneBrowser } from '../../shared/phone-browser.js';
import { renderConsentPage } from '../consent-page.js';
import type { InteractionDeps } from '../interaction-deps.js';
import { InteractionError } from '../interaction-error.js';
import { requestLanguage } from '../../shared/request-language.js';
import { pageData } from '../interaction-pages.js';
import { clientName, interactionFor } from '../load-interaction.js';
import { methodsFor } from '../methods-for-request.js';
import { consentPending } from '../pending-login.js';

/**
 * GET /interaction/:uid: the login page (the methods that satisfy the request's level) or the consent
 * page (oidc-provider's consent prompt, or a sign-in finished in this interaction: pending-login.ts).
 */
export async function show(deps: InteractionDeps, ctx: Context): Promise<void> {
  const details = await interactionFor(deps.provider, ctx);
  const lang = requestLanguage(ctx, details.params.ui_locales);
  if (consentPending(details)) return renderConsentPage(deps, ctx, details, lang);
  if (details.prompt.name === 'login') {
    const name = await clientName(deps.provider, details.params.client_id);
    const methods = methodsFor(deps.methods, details.params.acr_values).map((method) => ({
      id: method.id,
      view: method.choiceView,
      startPath: `/interaction/${details.uid}/${method.pathName}`,
    }));
    return renderPage(ctx, 'login', pageData(lang, (m) => m.loginTitle, { uid: details.uid, clientName: name, notice: undefined, methods, onPhone: isPhoneBrowser(ctx) }));
  }
  throw new InteractionError('wrong_prompt', `unexpected prompt ${details.prompt.name}`);
}
