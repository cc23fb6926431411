import Router from '@koa/router';
import type { SignInMethod } from '../sign-in/sign-in-method.js';
import type { AccountDeps } from './account-deps.js';
import { answerAccountErrors } from './account-error-answer.js';
import { accountStartPath } from './account-sign-in-waiter.js';
import type { AccountHandler } from './endpoints/account-endpoint.js';
import { credentialsActivate } from './endpoints/credentials-activate.js';
import { credentialsConfirm } from './endpoints/credentials-confirm.js';
import { credentialsResend } from './endpoints/credentials-resend.js';
import { credentialsWithdraw } from './endpoints/credentials-withdraw.js';
import { devOutbox } from './endpoints/dev-outbox.js';
import { historyDownload } from './endpoints/history-download.js';
import { passkeyOptions } from './endpoints/passkey-options.js';
import { passkeyRegister } from './endpoints/passkey-register.js';
import { passkeyWithdraw } from './endpoints/passkey-withdraw.js';
import { passwordChange } from './endpoints/password-change.js';
import { show } from './endpoints/show.js';
import { signInComplete } from './endpoints/sign-in-complete.js';
import { signOut } from './endpoints/sign-out.js';
import { startSignIn } from './endpoints/start-sign-in.js';
import { withdraw } from './endpoints/withdraw.js';

interface Route {
  method: 'get' | 'post';
  path: string;
  handler: AccountHandler;
}

const credentialRoutes: Route[] = [
  { method: 'post', path: '/account/credentials/activate', handler: credentialsActivate },
  { method: 'post', path: '/account/credentials/confirm', handler: credentialsConfirm },
  { method: 'post', path: '/account/credentials/resend', handler: credentialsResend },
  { method: 'post', path: '/account/credentials/password', handler: passwordChange },
  { method: 'post', path: '/account/credentials/withdraw', handler: credentialsWithdraw },
  { method: 'post', path: '/account/passkeys/new', handler: passkeyOptions },
  { method: 'post', path: '/account/passkeys', handler: passkeyRegister },
  { method: 'post', path: '/account/passkeys/withdraw', handler: passkeyWithdraw },
];

/** Every endpoint of "I tuoi accessi" (docs/account.md), one module each under endpoints/. */
function routesOf(methods: readonly SignInMethod[], deps: AccountDeps): Route[] {
  return [
    { method: 'get', path: '/account', handler: show },
    // "Entra con CIE" is POST /account/cie; a method added later gets its own start path here.
    ...methods.map((method): Route => ({ method: 'post', path: accountStartPath(method), handler: startSignIn(method) })),
    { method: 'get', path: '/account/cie/complete', handler: signInComplete },
    { method: 'post', path: '/account/withdraw', handler: withdraw },
    { method: 'post', path: '/account/history', handler: historyDownload },
    { method: 'post', path: '/account/sign-out', handler: signOut },
    // Levels 1/2 (docs/levels.md): each change behind a fresh card sign-in and the CSRF token.
    ...(deps.credentials ? credentialRoutes : []),
    ...(deps.outboxPage && deps.credentials?.outbox ? [{ method: 'get' as const, path: '/dev/outbox', handler: devOutbox }] : []),
  ];
}

/**
 * "I tuoi accessi": the citizen signs in (a waiter of the sign-in methods, bound to a sign-in
 * cookie), sees the relying parties holding offline access and withdraws it (the user may disable
 * offline access at any time: SPID/CIE OIDC guidelines, token_endpoint.rst, CIE box; docs/references.md),
 * and reads or downloads the history of their accesses.
 */
export function accountRoutes(deps: AccountDeps): Router {
  const router = new Router();
  router.use(answerAccountErrors);
  for (const route of routesOf(deps.methods, deps)) router[route.method](route.path, (ctx) => route.handler(ctx, deps));
  return router;
}
