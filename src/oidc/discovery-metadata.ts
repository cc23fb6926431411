import type Provider from 'oidc-provider';
import discovery from 'oidc-provider/lib/actions/discovery.js';
import { reshapeDiscovery } from './profile-responses.js';

const profileFields = new WeakMap<Provider, Record<string, unknown>>();

/** createProvider records the profile fields its discovery route adds, for issuerDiscoveryMetadata. */
export function rememberDiscoveryFields(provider: Provider, fields: Record<string, unknown>): void {
  profileFields.set(provider, fields);
}

/**
 * The document /.well-known/openid-configuration serves, built outside a request: the library's own
 * discovery action, with every endpoint under the configured issuer (the route builds them from the
 * Host header), then the profile's fields. The entity configuration publishes it as
 * `metadata.openid_provider` (src/federation/op/), so both always say the same.
 */
export function issuerDiscoveryMetadata(provider: Provider): Record<string, unknown> {
  const fields = profileFields.get(provider);
  if (!fields) throw new Error('issuerDiscoveryMetadata: the provider was not built by createProvider');
  const ctx: { oidc: object; body?: unknown } = {
    oidc: { provider, issuer: provider.issuer, urlFor: (name: string) => provider.urlFor(name) },
  };
  discovery(ctx);
  // The library's defaults leave some entries undefined; JSON drops them, and so must this copy.
  const body = JSON.parse(JSON.stringify(ctx.body)) as Record<string, unknown>;
  reshapeDiscovery(body, structuredClone(fields));
  return body;
}
