import type Router from '@koa/router';
import { type RouteRow, routeTable } from '../shared/route-table.js';
import type { SignInMethod } from '../sign-in/sign-in-method.js';
import type { AccountDeps } from './account-deps.js';
import { answerAccountErrors } from './account-error-answer.js';
import { accountStartPath } from './account-sign-in-waiter.js';
import { appDeviceDefault } from './endpoints/app-device-default.js';
import { appDeviceWithdraw } from './endpoints/app-device-withdraw.js';
import { contactChange } from './endpoints/contact-change.js';
import { contactConfirm } from './endpoints/contact-confirm.js';
import { credentialsActivate } from './endpoints/credentials-activate.js';
import { credentialsConfirm } from './endpoints/credentials-confirm.js';
import { credentialsResend } from './endpoints/credentials-resend.js';
import { credentialsWithdraw } from './endpoints/credentials-withdraw.js';
import { devOutbox } from './endpoints/dev-outbox.js';
import { historyDownload } from './endpoints/history-download.js';
import { passkeyOptions } from './endpoints/passkey-options.js';
import { passkeyRegister } from './endpoints/passkey-register.js';
import { passkeyRename } from './endpoints/passkey-rename.js';
import { passkeyWithdraw } from './endpoints/passkey-withdraw.js';
import { passwordChange } from './endpoints/password-change.js';
import { show } from './endpoints/show.js';
import { signInComplete } from './endpoints/sign-in-complete.js';
import { signOut } from './endpoints/sign-out.js';
import { startSignIn } from './endpoints/start-sign-in.js';
import { usernameChange } from './endpoints/username-change.js';
import { withdraw } from './endpoints/withdraw.js';

type Route = RouteRow<AccountDeps>;

const credentialRoutes: Route[] = [
  { method: 'post', path: '/account/credentials/activate', endpoint: credentialsActivate },
  { method: 'post', path: '/account/credentials/confirm', endpoint: credentialsConfirm },
  { method: 'post', path: '/account/credentials/resend', endpoint: credentialsResend },
  { method: 'post', path: '/account/credentials/password', endpoint: passwordChange },
  { method: 'post', path: '/account/credentials/withdraw', endpoint: credentialsWithdraw },
  { method: 'post', path: '/account/credentials/contact', endpoint: contactChange },
  { method: 'post', path: '/account/credentials/contact/confirm', endpoint: contactConfirm },
  { method: 'post', path: '/account/credentials/username', endpoint: usernameChange },
  { method: 'post', path: '/account/passkeys/new', endpoint: passkeyOptions },
  { method: 'post', path: '/account/passkeys', endpoint: passkeyRegister },
  { method: 'post', path: '/account/passkeys/withdraw', endpoint: passkeyWithdraw },
  { method: 'post', path: '/account/passkeys/rename', endpoint: passkeyRename },
  { method: 'post', path: '/account/app-devices/default', endpoint: appDeviceDefault },
  { method: 'post', path: '/account/app-devices/withdraw', endpoint: appDeviceWithdraw },
];

/** Every endpoint of "I tuoi accessi" (docs/account.md), one module each under endpoints/. */
function routesOf(methods: readonly SignInMethod[], deps: AccountDeps): Route[] {
  return [
    { method: 'get', path: '/account', endpoint: show },
    // "Entra con CIE" is POST /account/cie; a method added later gets its own start path here.
    ...methods.map((method): Route => ({ method: 'post', path: accountStartPath(method), endpoint: startSignIn(method) })),
    { method: 'get', path: '/account/cie/complete', endpoint: signInComplete },
    { method: 'post', path: '/account/withdraw', endpoint: withdraw },
    { method: 'post', path: '/account/history', endpoint: historyDownload },
    { method: 'post', path: '/account/sign-out', endpoint: signOut },
    // Levels 1/2 (docs/levels.md): each change behind a fresh card sign-in and the CSRF token.
    ...(deps.credentials ? credentialRoutes : []),
    ...(deps.outboxPage && deps.credentials?.outbox ? [{ method: 'get' as const, path: '/dev/outbox', endpoint: devOutbox }] : []),
  ];
}

/**
 * "I tuoi accessi": the citizen signs in (a waiter of the sign-in methods, bound to a sign-in
 * cookie), sees the relying parties holding offline access and withdraws it (the user may disable
 * offline access at any time: SPID/CIE OIDC guidelines, token_endpoint.rst, CIE box; docs/references.md),
 * and reads or downloads the history of their accesses.
 */
export function accountRoutes(deps: AccountDeps): Router {
  return routeTable(routesOf(deps.methods, deps), deps, [answerAccountErrors]);
}
