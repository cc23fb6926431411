import type { Context, Next } from 'koa';
import { ENTITY_CONFIGURATION_PATH, MEDIA_TYPES } from '../media-types.js';

/**
 * Every path the provider's entity configuration is asked at: the well-known path, with a trailing
 * slash too, and — when the issuer has a path — under that path (the spec's
 * `<entity id without trailing slash>/.well-known/openid-federation`, for a process that sees the
 * full path) and the Node reference RP's plain concatenation `<issuer path>.well-known/openid-federation`
 * (relying-party/src/getTrustChain.ts of italia/spid-cie-oidc-nodejs), which has no separator.
 */
export function entityConfigurationPaths(issuer: string): string[] {
  const issuerPath = new URL(issuer).pathname.replace(/\/+$/, '');
  const paths = [ENTITY_CONFIGURATION_PATH];
  if (issuerPath) paths.push(`${issuerPath}${ENTITY_CONFIGURATION_PATH}`, `${issuerPath}${ENTITY_CONFIGURATION_PATH.slice(1)}`);
  return paths.flatMap((path) => [path, `${path}/`]);
}

/** GET (and HEAD) of those paths: the signed entity configuration, `application/entity-statement+jwt`. */
export function entityConfigurationRoute(issuer: string, current: () => Promise<string>) {
  const paths = new Set(entityConfigurationPaths(issuer));
  const entityConfiguration = async (ctx: Context): Promise<void> => {
    const jwt = await current();
    ctx.type = MEDIA_TYPES.entityStatement;
    ctx.body = jwt;
  };
  // Not async for other requests: every request passes through this layer.
  return (ctx: Context, next: Next): Promise<unknown> => (paths.has(ctx.path) && (ctx.method === 'GET' || ctx.method === 'HEAD') ? entityConfiguration(ctx) : next());
}
