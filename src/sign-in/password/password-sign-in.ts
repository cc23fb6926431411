import Router from '@koa/router';
import type { Context } from 'koa';
import { errorMessage } from '../../shared/errors/error-table.js';
import type { SignInMethod } from '../sign-in-method.js';
import { BrowserCeremonies } from '../browser-ceremonies.js';
import { codeSubmit } from './code-submit.js';
import { passwordPage } from './password-page-endpoint.js';
import { PASSWORD_AND_APP_METHOD, PASSWORD_AND_CODE_METHOD, PASSWORD_CEREMONY_TTL_SECONDS, PASSWORD_METHOD, type PasswordCeremony, type PasswordSignInDeps } from './password-sign-in-deps.js';
import { startPasswordSignIn } from './password-start.js';
import { passwordSubmit } from './password-submit.js';
import { ceremonyErrorPages } from '../ceremony-error-pages.js';
import { appCancel, appFinish, appStatus } from './app-stage.js';

type Endpoint = (deps: PasswordSignInDeps, ceremonies: BrowserCeremonies<PasswordCeremony>, ctx: Context) => Promise<void>;

/**
 * Sign-in with the CieID credentials (docs/levels.md): the password alone (level 1, `pwd`) and, when
 * the operator lets e-mail codes be a second factor, the password then a code by e-mail (level 2,
 * `pwd otp mfa`). Two methods on one set of pages (`/sign-in/password/:id`), sharing one entry on the
 * login page (the one of the level the request prefers). Each ends like the card: a ticket to the
 * waiter's completion path, carrying the citizen as the card named them at activation.
 */
export function createPasswordSignIns(deps: PasswordSignInDeps): SignInMethod[] {
  const ceremonies = new BrowserCeremonies<PasswordCeremony>(deps.ceremonies, 'password', PASSWORD_CEREMONY_TTL_SECONDS);
  const table: [verb: 'get' | 'post', path: string, endpoint: Endpoint][] = [
    ['get', '/sign-in/password/:id', passwordPage],
    ['post', '/sign-in/password/:id', passwordSubmit],
    ['post', '/sign-in/password/:id/code', codeSubmit],
    ['get', '/sign-in/password/:id/status', appStatus],
    ['post', '/sign-in/password/:id/finish', appFinish],
    ['post', '/sign-in/password/:id/cancel', appCancel],
  ];
  const routes = new Router();
  routes.use(ceremonyErrorPages);
  for (const [verb, path, endpoint] of table) routes[verb](path, (ctx) => endpoint(deps, ceremonies, ctx));
  const method = (id: string, level: 1 | 2, pathName: string, withRoutes: boolean, factor?: 'app'): SignInMethod => ({
    id,
    level,
    pathName,
    // The push has its own entry ("password + notifica sull'app"); the password alone and with a code share one.
    choiceView: factor === 'app' ? 'sign-in/password-app-choice' : 'sign-in/password-choice',
    start: (ctx, binding, language) => startPasswordSignIn(ctx, ceremonies, deps.waiters, binding, level, language, factor),
    failureMessage: (code, language) => errorMessage(code, language),
    // One router for both methods: the composition mounts every method's routes, an empty one is harmless.
    routes: withRoutes ? routes : new Router(),
  });
  return [
    ...(deps.app ? [method(PASSWORD_AND_APP_METHOD, 2, 'password-app', false, 'app')] : []),
    ...(deps.emailSecondFactor ? [method(PASSWORD_AND_CODE_METHOD, 2, 'password-otp', false)] : []),
    method(PASSWORD_METHOD, 1, 'password', true),
  ];
}
