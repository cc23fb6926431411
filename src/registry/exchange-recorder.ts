import type { Context, Middleware } from 'koa';
import type { ExchangeEntry } from './access-registry.js';
import { secretHash } from './sealing.js';

/** What the recorder reads of oidc-provider's `ctx.oidc` (kept loose: the registry does not depend on oidc/). */
interface OidcContext {
  client?: { clientId?: string };
  params?: Record<string, unknown>;
  entities?: Record<string, { accountId?: string; grantId?: string; clientId?: string } | undefined>;
}

export interface ExchangePaths {
  token: string;
  userinfo: string;
  revocation: string;
}

/** Presented secrets, by parameter name; every one is kept as a hash only. */
const PRESENTED = ['code', 'refresh_token', 'token', 'client_assertion', 'code_verifier'] as const;
const ISSUED = ['access_token', 'refresh_token', 'id_token'] as const;

function exchangeOf(ctx: Context, paths: ExchangePaths): ExchangeEntry['exchange'] | undefined {
  if (ctx.path === paths.token && ctx.method === 'POST') return 'token';
  if (ctx.path === paths.userinfo && (ctx.method === 'GET' || ctx.method === 'POST')) return 'userinfo';
  if (ctx.path === paths.revocation && ctx.method === 'POST') return 'revocation';
  return undefined;
}

function firstOf(entities: NonNullable<OidcContext['entities']>, field: 'accountId' | 'grantId'): string | undefined {
  for (const name of ['AccessToken', 'Grant', 'AuthorizationCode', 'RefreshToken']) {
    const value = entities[name]?.[field];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * Records the token, userinfo and revocation exchanges (request and response, secrets hashed) of a
 * known client or token, after the answer is ready and before it is sent. `record` failing (the
 * registry is down) replaces the answer with an error, so no answer leaves without its record; requests
 * that name no client nor token (noise) are not a grant's exchange and are not recorded.
 */
export function recordExchanges(paths: ExchangePaths, record: (entry: ExchangeEntry) => Promise<void>): Middleware {
  return async (ctx, next) => {
    const exchange = exchangeOf(ctx, paths);
    if (!exchange) return next();
    await next();
    const oidc = (ctx as unknown as { oidc?: OidcContext }).oidc;
    const entities = oidc?.entities ?? {};
    const clientId = oidc?.client?.clientId ?? entities.AccessToken?.clientId;
    if (!clientId) return;
    const hashes: Record<string, string> = {};
    const params = oidc?.params ?? {};
    for (const name of PRESENTED) if (typeof params[name] === 'string') hashes[`presented_${name}`] = secretHash(params[name] as string);
    const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1] ?? (typeof params.access_token === 'string' ? params.access_token : undefined);
    if (bearer) hashes.presented_access_token = secretHash(bearer);
    const body: unknown = ctx.body;
    if (body && typeof body === 'object' && !Buffer.isBuffer(body)) {
      for (const name of ISSUED) if (typeof (body as Record<string, unknown>)[name] === 'string') hashes[`issued_${name}`] = secretHash((body as Record<string, string>)[name]!);
    } else if (typeof body === 'string' || Buffer.isBuffer(body)) {
      // userinfo as a signed and encrypted JWT: what was sent, by hash.
      hashes.response = secretHash(body.toString());
    }
    const error = ctx.status >= 400 && body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
    const accountId = firstOf(entities, 'accountId');
    const grantId = firstOf(entities, 'grantId');
    const entry: ExchangeEntry = {
      exchange,
      clientId,
      status: ctx.status,
      hashes,
      ...(accountId ? { accountId } : {}),
      ...(grantId ? { grantId } : {}),
      ...(typeof error === 'string' ? { error } : {}),
      ...(typeof params.grant_type === 'string' ? { grantType: params.grant_type } : {}),
    };
    try {
      await record(entry);
    } catch (error) {
      // The answer must not leave without its record. Thrown further, the error would pass the
      // storage guard as a bare 500; answered here, the guard turns an outage into 503 + Retry-After.
      ctx.app.emit('error', error, ctx);
      ctx.status = 500;
      ctx.body = { error: 'server_error', error_description: 'the exchange could not be recorded' };
    }
  };
}
