import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import { loggerFor } from '../../shared/logger.js';
import { FederationError } from '../federation-error.js';
import type { ChainSource, TrustChain } from './chain-source.js';
import { clientMetadataFromChain, type LegacyRequestObjectsSetting } from './client-metadata-from-chain.js';
import { looksLikeEntityId } from './entity-id.js';

export interface FederatedClientsOptions {
  chains: ChainSource;
  /** The anchors' `legacy_request_objects` setting, by anchor entity id. */
  legacyRequestObjects: (trustAnchor: string) => LegacyRequestObjectsSetting;
  /** CLIENTS_FILE's RPs (and the demo's): never resolved through a federation. */
  staticClientIds: ReadonlySet<string>;
  /** Resolve loopback entity ids too (local development: the provider itself is on a loopback host). */
  allowLoopback: boolean;
  /** One JSON line per refusal (default: a warning of the logger). */
  log?: (event: Record<string, unknown>) => void;
}

/**
 * oidc-provider's `Client` model, extended with automatic registration (OpenID Federation 1.0
 * § "Automatic Registration"): the library looks up static clients first and then asks this
 * adapter, so an unknown client_id that is an entity id is resolved through the trust chain cache
 * and becomes the client described by its resolved metadata (client-metadata-from-chain.ts). The
 * metadata of one chain is built once: the library re-reads the client at every request (token,
 * userinfo…) and keys its own parsed clients on the metadata's hash.
 *
 * A chain that cannot be established gives NO client: the authorization endpoint then answers
 * oidc-provider's invalid_client error page, without ever redirecting to a URI the RP named, and
 * the federation code is logged (never shown to the browser).
 */
class FederatedClientAdapter {
  readonly #built = new WeakMap<TrustChain, AdapterPayload>();

  constructor(private readonly base: Adapter, private readonly options: FederatedClientsOptions) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (this.options.staticClientIds.has(id) || !looksLikeEntityId(id, this.options.allowLoopback)) return (await this.base.find(id)) ?? undefined;
    let chain: TrustChain;
    try {
      chain = await this.options.chains.get(id);
      let metadata = this.#built.get(chain);
      if (!metadata) {
        metadata = clientMetadataFromChain(chain, this.options.legacyRequestObjects(chain.trustAnchor)) as AdapterPayload;
        this.#built.set(chain, metadata);
      }
      return metadata;
    } catch (error) {
      if (!(error instanceof FederationError)) throw error;
      (this.options.log ?? ((event) => loggerFor('federation').warn(event)))({ event: 'federation_client_refused', client_id: id, code: error.code, reason: error.message });
      return undefined;
    }
  }
}

/** The adapter factory with the `Client` model's lookups going through the federation as above. */
export function withFederatedClients(base: AdapterFactory, options: FederatedClientsOptions): AdapterFactory {
  return (name: string): Adapter => {
    const adapter = base(name);
    if (name !== 'Client') return adapter;
    const federated = new FederatedClientAdapter(adapter, options);
    return new Proxy(adapter, {
      get(target, property, receiver) {
        if (property === 'find') return (id: string) => federated.find(id);
        const value: unknown = Reflect.get(target, property, receiver);
        // Bound to the adapter itself: its methods may use private fields, which a proxy `this` lacks.
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
}
