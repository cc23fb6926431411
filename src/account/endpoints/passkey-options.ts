import type { Context } from 'koa';
import { renderPage } from '../../shared/html.js';
import { requestLanguage } from '../../shared/request-language.js';
import { clientNetwork } from '../../sign-in/client-network.js';
import type { AccountDeps } from '../account-deps.js';
import { cardProvenForm } from '../credentials/card-proven-form.js';
import { refusalsShown, showCredentialsRefusal } from '../credentials/credentials-failure.js';
import { credentialsMessagesFor } from '../credentials/credentials-messages.js';
import { accountMessagesFor } from '../messages.js';

/**
 * POST /account/passkeys/new: opens a WebAuthn registration ceremony for the citizen the card named
 * (user verification required, discoverable; credentials/passkeys.ts) and draws the page whose form
 * runs it (assets/sign-in/webauthn.js, data-webauthn="create"). The citizen's credentials record is
 * created from the card's identity if there is none yet: a passkey needs no password.
 */
export async function passkeyOptions(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await cardProvenForm(ctx, deps);
  if (!posted) return;
  const { session, proof, credentials } = posted;
  if (!(await credentials.limits.passkeyCeremony(clientNetwork(ctx.ip))).allowed) return showCredentialsRefusal(ctx, deps, session, 'too_many_ceremonies');
  await refusalsShown(ctx, deps, session, async () => {
    if (!(await credentials.store.citizen(proof.fiscalCode))) await credentials.store.saveIdentity({ fiscalCode: proof.fiscalCode, claims: proof.claims ?? {} });
    const { ceremonyId, options } = await credentials.passkeys.registrationOptions(proof);
    const lang = requestLanguage(ctx);
    const m = accountMessagesFor(lang);
    const c = credentialsMessagesFor(lang);
    await renderPage(ctx, 'account/passkey-new', { lang, m, c, title: c.addPasskeyTitle, assets: '/assets', csrfToken: session.csrfToken, ceremonyId, options: JSON.stringify(options) }, { languageSwitchPath: '/account' });
  });
}
