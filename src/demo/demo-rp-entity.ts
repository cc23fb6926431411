import type { ClientMetadata } from 'oidc-provider';
import { boundedFetcher } from '../federation/bounded-fetch.js';
import { signFederationJwt, type TrustMarkEntry } from '../federation/entity-statement.js';
import { JOSE_TYPES, MEDIA_TYPES } from '../federation/media-types.js';
import { decodeUnverified } from '../federation/statement-verification.js';
import type { RelyingPartyFederationKeys } from '../demo-rp/rp-federation-keys.js';

export interface DemoRpEntityOptions {
  /** The RP's entity id = its client_id. */
  entityId: string;
  organizationName: string;
  /** What it registers: redirect URIs, algorithms, its OIDC `jwks`… */
  metadata: ClientMetadata;
  federationKeys: RelyingPartyFederationKeys;
  anchor: { entityId: string; fetchEndpoint: string };
  /** Seconds (a day, like the anchor's statements). */
  lifetimeSeconds?: number;
}

const TRUST_MARK_FETCH_LIMITS = { timeoutMs: 3_000, maxBytes: 64 * 1024 };
/** The trust marks are fetched again at most this often (seconds), so each request does not reach the anchor. */
const TRUST_MARKS_REUSE_SECONDS = 60;

/**
 * The demo RP as an OpenID Federation entity (italia/spid-cie-oidc-docs `entity_configuration.rst`,
 * OpenID Federation 1.0 § 5 and § 12.1): `metadata.openid_relying_party` with automatic
 * registration, `authority_hints` = the anchor, and the trust marks the anchor's subordinate
 * statement carries about it — as an RP developer gets them from the CIE anchor's `/fetch`.
 */
export function demoRpEntityConfiguration(options: DemoRpEntityOptions): () => Promise<{ contentType: string; body: string }> {
  const fetcher = boundedFetcher(TRUST_MARK_FETCH_LIMITS);
  let trustMarks: { entries: TrustMarkEntry[]; at: number } | undefined;

  async function currentTrustMarks(now: number): Promise<TrustMarkEntry[]> {
    if (trustMarks && now - trustMarks.at < TRUST_MARKS_REUSE_SECONDS) return trustMarks.entries;
    try {
      const url = `${options.anchor.fetchEndpoint}?sub=${encodeURIComponent(options.entityId)}`;
      const { body } = await fetcher(url, { accept: MEDIA_TYPES.entityStatement });
      // Not verified here: the provider verifies every trust mark it is shown, against the anchor's keys.
      const entries = decodeUnverified(body.trim()).claims.trust_marks;
      const list = Array.isArray(entries) ? (entries as TrustMarkEntry[]) : [];
      if (list.length > 0) trustMarks = { entries: list, at: now };
      return list;
    } catch {
      return trustMarks?.entries ?? []; // the anchor is away: publish what we had
    }
  }

  return async () => {
    const now = Math.floor(Date.now() / 1000);
    const { metadata } = options;
    const claims = {
      iss: options.entityId,
      sub: options.entityId,
      iat: now,
      exp: now + (options.lifetimeSeconds ?? 86_400),
      jwks: options.federationKeys.publicJwks,
      authority_hints: [options.anchor.entityId],
      metadata: {
        federation_entity: { organization_name: options.organizationName, homepage_uri: options.entityId, contacts: ['noreply@example.invalid'] },
        openid_relying_party: { ...metadata, client_id: options.entityId, organization_name: options.organizationName, client_registration_types: ['automatic'] },
      },
      trust_marks: await currentTrustMarks(now),
    };
    return { contentType: MEDIA_TYPES.entityStatement, body: await signFederationJwt(claims, options.federationKeys.signing, JOSE_TYPES.entityStatement) };
  };
}
