import Router from '@koa/router';
import Koa, { type Context } from 'koa';
import { randomBytes } from 'node:crypto';
import type * as client from 'openid-client';
import { renderPage } from '../shared/html.js';
import { staticAssets } from '../shared/static-assets.js';
import { authorizationUrl, completeLogin, type PendingLogin } from './rp-client.js';
import type { RelyingPartyKeys } from './rp-keys.js';
import { acrValuesForLevel } from './rp-levels.js';

interface RpSession {
  pending?: PendingLogin;
  /** `offline`: the provider issued a refresh token (the citizen allowed offline access). */
  user?: { idToken: Record<string, unknown>; userinfo: Record<string, unknown>; offline: boolean };
}

export interface RelyingPartyOptions {
  origin: string;
  config: () => client.Configuration;
  keys: RelyingPartyKeys;
  scope?: string;
  /** How the browser carries the authorization request: a redirect (GET, default) or a form it posts. */
  authorizationMethod?: 'GET' | 'POST';
  /**
   * The RP as an OpenID Federation entity: its signed entity configuration, served at
   * /.well-known/openid-federation (built by the demo, which knows the trust anchor).
   */
  entityConfiguration?: () => Promise<{ contentType: string; body: string }>;
}

/** "Comune di Esempio": a small but real CIE relying party, used by the demo and the browser tests. */
export function createRelyingPartyApp(options: RelyingPartyOptions): Koa {
  const app = new Koa();
  const router = new Router();
  const sessions = new Map<string, RpSession>();
  const scope = options.scope ?? 'openid profile email';
  // The provider's page where the citizen sees and withdraws offline access (docs/account.md).
  const accountUrl = () => `${options.config().serverMetadata().issuer.replace(/\/+$/, '')}/account`;

  function session(ctx: Context): RpSession {
    let id = ctx.cookies.get('rp_session');
    if (!id || !sessions.has(id)) {
      id = randomBytes(24).toString('base64url');
      sessions.set(id, {});
      ctx.cookies.set('rp_session', id, { httpOnly: true, sameSite: 'lax' });
    }
    return sessions.get(id)!;
  }

  const page = (ctx: Context, data: { user?: RpSession['user']; error?: string; errorCode?: string }, status = 200) =>
    renderPage(ctx, 'demo-rp/page', { user: data.user, error: data.error, errorCode: data.errorCode, accountUrl: accountUrl() }, { status });

  router.get('/', async (ctx) => page(ctx, { user: session(ctx).user }));

  const entityConfiguration = options.entityConfiguration;
  if (entityConfiguration) {
    router.get('/.well-known/openid-federation', async (ctx) => {
      const { contentType, body } = await entityConfiguration();
      ctx.type = contentType;
      ctx.body = body;
    });
  }

  // `/login/offline` also asks for offline_access (a refresh token), with the consent prompt the profile requires for it.
  // `?level=1|2|3` (default 3): the level the RP asks for, so a tester can try every level.
  router.get(['/login', '/login/offline'], async (ctx) => {
    const acrValues = acrValuesForLevel(ctx.query.level);
    if (!acrValues) return page(ctx, { error: 'Livello non valido: scegli il livello 1, 2 o 3.', errorCode: 'invalid_level' }, 400);
    const requested = ctx.path.endsWith('/offline') ? `${scope} offline_access` : scope;
    const { url, pending } = await authorizationUrl(options.config(), `${options.origin}/callback`, options.keys, requested, acrValues);
    session(ctx).pending = pending;
    if (options.authorizationMethod === 'POST') {
      // The profile allows form serialisation too (SPID/CIE OIDC guidelines: authorization request — docs/references.md): a page that posts itself.
      return renderPage(ctx, 'demo-rp/authorization-post', { endpoint: `${url.origin}${url.pathname}`, fields: [...url.searchParams] });
    }
    ctx.redirect(url.href);
  });

  router.get('/callback', async (ctx) => {
    const current = session(ctx);
    const pending = current.pending;
    current.pending = undefined;
    if (!pending) return page(ctx, { error: 'Nessun accesso in corso.' }, 400);
    if (typeof ctx.query.error === 'string') {
      // The code says what happened (access_denied: the citizen said no); the description is only detail.
      return page(ctx, { error: `${ctx.query.error}: ${String(ctx.query.error_description ?? '')}`, errorCode: ctx.query.error }, 400);
    }
    try {
      const { idToken, userinfo, tokens } = await completeLogin(options.config(), new URL(ctx.originalUrl, options.origin), pending);
      current.user = { idToken: idToken as Record<string, unknown>, userinfo: userinfo as Record<string, unknown>, offline: Boolean(tokens.refresh_token) };
      ctx.redirect('/');
    } catch (error) {
      return page(ctx, { error: `Risposta del provider non valida: ${(error as Error).message}` }, 502);
    }
  });

  router.get('/logout', async (ctx) => {
    session(ctx).user = undefined;
    ctx.redirect('/');
  });

  app.use(staticAssets('/assets'));
  app.use(router.routes());
  app.silent = true;
  return app;
}
