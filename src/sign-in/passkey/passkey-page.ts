import type { Context } from 'koa';
import { renderPage } from '../../shared/html.js';
import { requestLanguage } from '../../shared/request-language.js';
import type { BrowserCeremonies } from '../browser-ceremonies.js';
import { backHrefOf } from '../ceremony-outcome.js';
import { unknownCeremony } from '../unknown-ceremony.js';
import { passkeyMessages } from './passkey-messages.js';
import type { PasskeyCeremony, PasskeySignInDeps } from './passkey-sign-in-deps.js';

/** GET /sign-in/passkey/:id: the button that runs the WebAuthn ceremony, the options as data for our script. */
export async function passkeyPage(deps: PasskeySignInDeps, ceremonies: BrowserCeremonies<PasskeyCeremony>, ctx: Context): Promise<void> {
  const id = String(ctx.params.id);
  const language = requestLanguage(ctx);
  const found = await ceremonies.peek(ctx, id);
  if (!found) return unknownCeremony(ctx, language);
  const m = passkeyMessages(language);
  await renderPage(ctx, 'sign-in/passkey', {
    lang: language,
    m,
    title: m.passkeyTitle,
    assets: '/assets',
    action: `/sign-in/passkey/${id}`,
    options: JSON.stringify(found.record.options),
    backHref: backHrefOf(deps.waiters, found.boundTo),
  }, { languageSwitchPath: `/sign-in/passkey/${id}` });
}
