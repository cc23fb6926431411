import { decodeJwt } from 'jose';
import type { Provider } from 'oidc-provider';
import { issuerSpellings } from './request-object-rules.js';

interface OidcContextLike {
  route?: string;
  params?: { request?: unknown };
}

function audiences(requestObject: unknown): unknown[] {
  if (typeof requestObject !== 'string') return [];
  try {
    const { aud } = decodeJwt(requestObject);
    return Array.isArray(aud) ? aud : [aud];
  } catch {
    return [];
  }
}

/**
 * oidc-provider checks a request object's `aud` against its issuer string exactly, before and after
 * the signature. RPs that build `aud` from a configured OP id may write the issuer with a trailing
 * slash where ours has none, or the reverse (SPID/CIE OIDC guidelines: request object — docs/references.md interop note). For the
 * authorization route only, and only when the request object names the issuer in its other spelling
 * and not in ours, the library is given that spelling as the audience to expect. Everything else
 * about the request (iss in responses, cookies) reads `provider.issuer`, which is unchanged; the
 * audience rule itself is request-object-rules.ts. Applied to this provider's own context class.
 */
export function acceptIssuerSpellingsInRequestObjects(provider: Provider): void {
  const prototype = (provider as unknown as { OIDCContext: { prototype: object } }).OIDCContext.prototype;
  const own = Object.getOwnPropertyDescriptor(prototype, 'issuer');
  if (!own?.get) throw new Error('oidc-provider OIDCContext has no issuer getter: request-object-audience.ts needs updating');
  const issuer = own.get;
  const [ours, other] = issuerSpellings(provider.issuer);
  Object.defineProperty(prototype, 'issuer', {
    ...own,
    get(this: OidcContextLike) {
      if (this.route === 'authorization') {
        const aud = audiences(this.params?.request);
        if (!aud.includes(ours) && aud.includes(other)) return other;
      }
      return issuer.call(this);
    },
  });
}
