import type { Middleware } from 'koa';

/** The part of the provider's StateStore the capture uses. */
export interface RequestStash {
  put(key: string, value: object, ttlSeconds: number): Promise<void>;
  get<T extends object>(key: string): Promise<T | undefined>;
}

/** As long as oidc-provider keeps an interaction (its `ttl.Interaction`, src/oidc/provider.ts). */
const STASH_TTL_SECONDS = 1800;

const stashKey = (interactionUid: string) => `registry-request:${interactionUid}`;

/**
 * The access registry keeps the authorization request as received: the RP's signed request object.
 * oidc-provider drops it once verified, so this middleware, around the authorization endpoint (a
 * POST is already a GET there), keeps the raw `request` of every authorization that reaches an
 * interaction, under the interaction's uid, until the sign-in is recorded.
 */
export function captureRequestObjects(authorizationPath: string, stash: RequestStash): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.method !== 'GET' || ctx.path !== authorizationPath || typeof ctx.query.request !== 'string') return;
    const location = ctx.response.get('Location');
    const uid = /\/interaction\/([A-Za-z0-9_-]+)$/.exec(location)?.[1];
    if (uid) await stash.put(stashKey(uid), { request: ctx.query.request }, STASH_TTL_SECONDS);
  };
}

/** The request object received for an interaction, if it was captured and has not expired. */
export async function capturedRequestObject(stash: RequestStash, interactionUid: string): Promise<string | undefined> {
  return (await stash.get<{ request: string }>(stashKey(interactionUid)))?.request;
}
