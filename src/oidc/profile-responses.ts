import type { KoaContextWithOIDC } from 'oidc-provider';
import { dropUnusableEncryptionMetadata } from './discovery-profile.js';
import type { RequestLine } from './route-match.js';

type Next = () => Promise<unknown>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Buffer.isBuffer(value);
}

/** The library's discovery document as this provider publishes it (also in its entity configuration). */
export function reshapeDiscovery(body: Record<string, unknown>, discoveryFields: Record<string, unknown>): void {
  Object.assign(body, discoveryFields);
  dropUnusableEncryptionMetadata(body);
}

/**
 * Reshapes oidc-provider's successful answers where the CIE profile differs from its defaults
 * and the library has no setting for it:
 * - discovery: the profile's extra metadata, and no encryption lists without an alg (discovery-profile.ts);
 * - introspection: CIE returns only `active` (SPID/CIE OIDC guidelines: introspection — docs/references.md).
 * (A refresh never yields an ID token: id-token-profile.ts does not issue one.)
 */
export function profileResponses(discoveryFields: Record<string, unknown>, reshaped: (request: RequestLine) => boolean) {
  const reshape = async (ctx: KoaContextWithOIDC, next: Next): Promise<void> => {
    await next();
    const body: unknown = ctx.body;
    if (ctx.status !== 200 || !isObject(body) || !ctx.oidc) return;
    switch (ctx.oidc.route) {
      case 'discovery':
        reshapeDiscovery(body, discoveryFields);
        break;
      case 'introspection':
        ctx.body = { active: body.active === true };
        break;
      default:
    }
  };
  // Not async for the other routes (`reshaped`: the discovery and introspection ones): every request passes through this layer.
  return (ctx: KoaContextWithOIDC, next: Next) => (reshaped(ctx) ? reshape(ctx, next) : next());
}
