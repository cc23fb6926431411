import Router from '@koa/router';
import type { Context } from 'koa';
import { CEREMONY_TTL_SECONDS } from '../../credentials/passkeys.js';
import { rateLimitHits } from '../../observability/metrics.js';
import { answerError } from '../../shared/errors/answer-error.js';
import { errorMessage } from '../../shared/errors/error-table.js';
import type { Language } from '../../shared/language.js';
import { clientNetwork } from '../client-network.js';
import type { SignInBinding } from '../sign-in-binding.js';
import type { SignInMethod } from '../sign-in-method.js';
import { waiterOf } from '../sign-in-waiter-lookup.js';
import { waiterLinks } from '../waiter-links.js';
import { BrowserCeremonies } from '../browser-ceremonies.js';
import { ceremonyErrorPages } from '../ceremony-error-pages.js';
import { passkeyPage } from './passkey-page.js';
import { passkeySubmit } from './passkey-submit.js';
import { PASSKEY_METHOD, PASSKEY_PATH_NAME, type PasskeyCeremony, type PasskeySignInDeps } from './passkey-sign-in-deps.js';

type Endpoint = (deps: PasskeySignInDeps, ceremonies: BrowserCeremonies<PasskeyCeremony>, ctx: Context) => Promise<void>;

/**
 * A passkey alone (level 2: the device and its user verification; docs/levels.md): discoverable, so no
 * username is typed and the page reveals nothing about who has an account. The page runs the
 * WebAuthn ceremony through our own script (/assets/sign-in/webauthn.js; no inline script) and posts
 * the answer; the citizen is the one the passkey was enrolled for, after a card sign-in.
 */
export function createPasskeySignIn(deps: PasskeySignInDeps): SignInMethod {
  const ceremonies = new BrowserCeremonies<PasskeyCeremony>(deps.ceremonies, 'passkey', CEREMONY_TTL_SECONDS);
  const table: [verb: 'get' | 'post', path: string, endpoint: Endpoint][] = [
    ['get', '/sign-in/passkey/:id', passkeyPage],
    ['post', '/sign-in/passkey/:id', passkeySubmit],
  ];
  const routes = new Router();
  routes.use(ceremonyErrorPages);
  for (const [verb, path, endpoint] of table) routes[verb](path, (ctx) => endpoint(deps, ceremonies, ctx));
  return {
    id: PASSKEY_METHOD,
    level: 2,
    pathName: PASSKEY_PATH_NAME,
    choiceView: 'sign-in/passkey-choice',
    start: (ctx, binding, language) => startPasskey(deps, ceremonies, ctx, binding, language),
    failureMessage: (code, language) => errorMessage(code, language),
    routes,
  };
}

/** Each ceremony stores a challenge: counted per client network before it is made (after the sign-in window the waiter's start endpoint counts). */
async function startPasskey(deps: PasskeySignInDeps, ceremonies: BrowserCeremonies<PasskeyCeremony>, ctx: Context, binding: SignInBinding, language: Language): Promise<void> {
  waiterOf(deps.waiters, binding);
  const verdict = await deps.credentials.limits.passkeyCeremony(clientNetwork(ctx.ip));
  if (!verdict.allowed) {
    rateLimitHits.inc({ limit: 'too_many_passkey_ceremonies' });
    return answerError(ctx, { code: 'too_many_passkey_ceremonies', language, retryAfterSeconds: verdict.retryAfterSeconds, ...waiterLinks(deps.waiters, binding, PASSKEY_PATH_NAME, false) });
  }
  const { ceremonyId, options } = await deps.credentials.passkeys.authenticationOptions();
  const id = await ceremonies.open(ctx, binding, { webauthnCeremonyId: ceremonyId, options });
  ctx.status = 303;
  ctx.redirect(`${ceremonies.basePath}/${id}?lang=${language}`);
}
