import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { RequestLine } from './route-match.js';

type Next = () => Promise<unknown>;

/**
 * The two media types a signed+encrypted userinfo answer goes by. OpenID Connect and AgID's checks
 * want `application/jwt` (what oidc-provider sends, what openid-client reads); the CIE profile's
 * example and the italia reference Node RP use `application/jose`, and that RP compares the header
 * byte for byte, so it gets exactly `application/jose`, without parameters.
 */
const USERINFO_CONTENT_TYPES = ['application/jwt', 'application/jose'] as const;
export type UserinfoContentType = (typeof USERINFO_CONTENT_TYPES)[number];

/** Client metadata (CLIENTS_FILE) naming the type an RP gets when its request's Accept names neither. */
export const USERINFO_CONTENT_TYPE_METADATA = 'userinfo_content_type';

/** Validates the client metadata value (oidc-provider's extraClientMetadata validator calls it). */
export function assertUserinfoContentType(value: unknown): void {
  if (value === undefined) return;
  if (!(USERINFO_CONTENT_TYPES as readonly unknown[]).includes(value)) {
    throw new errors.InvalidClientMetadata(`${USERINFO_CONTENT_TYPE_METADATA} must be one of ${USERINFO_CONTENT_TYPES.join(', ')}`);
  }
}

/**
 * The type of one answer: an Accept header naming one of the two types decides (by its q-values);
 * otherwise the client's `userinfo_content_type`; otherwise `application/jwt`.
 */
export function chooseUserinfoContentType(ctx: KoaContextWithOIDC, registered: unknown): UserinfoContentType {
  const preferred: UserinfoContentType = registered === 'application/jose' ? 'application/jose' : 'application/jwt';
  const other: UserinfoContentType = preferred === 'application/jwt' ? 'application/jose' : 'application/jwt';
  // A wildcard or a missing Accept says nothing about these two: the client's setting stands.
  if (!/application\/(?:jwt|jose)\b/i.test(ctx.get('accept'))) return preferred;
  const accepted = ctx.accepts(preferred, other);
  return accepted === other ? other : preferred;
}

/** Sets the media type of oidc-provider's JWT userinfo answers (plain JSON answers are left alone). */
export function userinfoContentType(isUserinfo: (request: RequestLine) => boolean) {
  const negotiate = async (ctx: KoaContextWithOIDC, next: Next): Promise<void> => {
    await next();
    if (ctx.oidc?.route !== 'userinfo' || ctx.status !== 200 || ctx.response.type !== 'application/jwt') return;
    const registered = ctx.oidc.client?.metadata()[USERINFO_CONTENT_TYPE_METADATA];
    ctx.vary('Accept');
    // Set as a raw header: koa's `type` setter may append a charset, which the Node RP would refuse.
    ctx.set('Content-Type', chooseUserinfoContentType(ctx, registered));
  };
  // Not async for the other routes: every request passes through this layer.
  return (ctx: KoaContextWithOIDC, next: Next) => (isUserinfo(ctx) ? negotiate(ctx, next) : next());
}
