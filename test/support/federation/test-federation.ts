import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { FederationFetcher } from '../../../src/federation/bounded-fetch.js';
import { signFederationJwt, type EntityMetadata, type FederationSigningKey, type TrustMarkEntry } from '../../../src/federation/entity-statement.js';
import { FederationError } from '../../../src/federation/federation-error.js';
import { ENTITY_CONFIGURATION_PATH, JOSE_TYPES, MEDIA_TYPES, type JoseType } from '../../../src/federation/media-types.js';
import type { TrustAnchorSetting } from '../../../src/federation/trust-anchors-file.js';

/** A federation key pair: the private half signs, the public half goes into `jwks`. */
export interface TestKey {
  signing: FederationSigningKey;
  publicJwk: JWK & { kid: string };
}

export async function testKey(kid: string, alg = 'ES256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { signing: { kid, alg, jwk: { ...(await exportJWK(privateKey)), kid } }, publicJwk };
}

/** How an entity's trust-mark status endpoint is published and answers. */
export type StatusForm = 'final' | 'legacy' | 'none';

export interface TestEntity {
  id: string;
  keys: TestKey[];
  /** The key its entity configuration is signed with (default keys[0]). */
  signWith: TestKey;
  authorityHints: string[];
  metadata: EntityMetadata;
  trustMarks: TrustMarkEntry[];
  /** Claims added to (or replacing) the entity configuration's. */
  extraClaims: Record<string, unknown>;
  typ: JoseType | string;
  statusForm: StatusForm;
}

export interface SubordinateSpec {
  /** The subject keys the statement binds (default: the subject's current public keys). */
  jwks?: { keys: JWK[] };
  extraClaims: Record<string, unknown>;
  /** Signing key (default: the superior's signWith). */
  signWith?: TestKey;
  typ?: string;
  /** Header without kid (signs with the key but strips the kid). */
  omitKid?: boolean;
}

type Answer = { contentType: string; body: string };
export type FetchCall = { url: string; method: string; form?: Record<string, string> };

/**
 * A whole federation in memory: entities with their keys, entity configurations signed on each fetch
 * (with the federation's clock), subordinate statements at `<superior>/fetch?sub=`, trust marks and a
 * trust-mark status endpoint at `<issuer>/trust_mark_status`, served through `fetcher`. Every fetch is
 * recorded in `calls` (tests assert what was, and was not, contacted). `overrides` replace one URL's
 * answer (a tampered or oversized statement, an endpoint that never answers).
 */
export class TestFederation {
  now = Math.floor(Date.now() / 1000);
  /** Lifetime of every statement signed from now on, seconds. */
  lifetime = 3600;
  readonly entities = new Map<string, TestEntity>();
  readonly subordinates = new Map<string, SubordinateSpec>();
  readonly revoked = new Set<string>();
  readonly overrides = new Map<string, (init: { method?: string; form?: Record<string, string> }) => Promise<Answer>>();
  readonly calls: FetchCall[] = [];

  async addEntity(id: string, options: Partial<Omit<TestEntity, 'id'>> = {}): Promise<TestEntity> {
    const keys = options.keys ?? [await testKey(`${new URL(id).hostname}-1`)];
    const entity: TestEntity = {
      id,
      keys,
      signWith: options.signWith ?? keys[0]!,
      authorityHints: options.authorityHints ?? [],
      metadata: options.metadata ?? {},
      trustMarks: options.trustMarks ?? [],
      extraClaims: options.extraClaims ?? {},
      typ: options.typ ?? JOSE_TYPES.entityStatement,
      statusForm: options.statusForm ?? 'final',
    };
    this.entities.set(id, entity);
    return entity;
  }

  entity(id: string): TestEntity {
    const entity = this.entities.get(id);
    if (!entity) throw new Error(`no test entity ${id}`);
    return entity;
  }

  /** The superior issues a subordinate statement about the subject. */
  enroll(superior: string, subject: string, spec: Partial<SubordinateSpec> = {}): SubordinateSpec {
    const full = { extraClaims: {}, ...spec };
    this.subordinates.set(`${superior} ${subject}`, full);
    return full;
  }

  /** A trust mark of `type` from `issuer` about `subject` (claims overridable: sub, exp, iss…). */
  async trustMark(issuer: string, subject: string, type: string, claims: Record<string, unknown> = {}, nameAs: 'trust_mark_type' | 'trust_mark_id' | 'id' = 'trust_mark_type'): Promise<TrustMarkEntry> {
    const body = { iss: issuer, sub: subject, [nameAs]: type, iat: this.now, exp: this.now + this.lifetime, ...claims };
    const jwt = await signFederationJwt(body, this.entity(issuer).signWith.signing, JOSE_TYPES.trustMark);
    return { [nameAs]: type, trust_mark: jwt } as TrustMarkEntry;
  }

  /** The operator's setting for an anchor: its CURRENT public keys, as obtained out of band. */
  anchorSetting(anchorId: string, requiredTrustMarks: string[] = []): TrustAnchorSetting {
    return { entityId: anchorId, jwks: { keys: this.entity(anchorId).keys.map((key) => key.publicJwk) }, requiredTrustMarks, legacyRequestObjects: false };
  }

  jwksOf(id: string): { keys: (JWK & { kid: string })[] } {
    return { keys: this.entity(id).keys.map((key) => key.publicJwk) };
  }

  /** URLs fetched, in order (without the method), for assertions on what was contacted. */
  urls(): string[] {
    return this.calls.map((call) => call.url);
  }

  readonly fetcher: FederationFetcher = async (url, init) => {
    this.calls.push({ url, method: init.method ?? 'GET', ...(init.form ? { form: init.form } : {}) });
    const override = this.overrides.get(url);
    if (override) return override(init);
    const parsed = new URL(url);
    if (parsed.pathname.endsWith(ENTITY_CONFIGURATION_PATH)) {
      const id = url.slice(0, url.length - ENTITY_CONFIGURATION_PATH.length);
      return this.statementAnswer(await this.entityConfiguration(this.known(id)));
    }
    const base = `${parsed.origin}${parsed.pathname.replace(/\/[^/]*$/, '')}`;
    if (parsed.pathname.endsWith('/fetch')) {
      const subject = parsed.searchParams.get('sub') ?? '';
      const spec = this.subordinates.get(`${base} ${subject}`);
      if (!spec) throw notFound(url);
      return this.statementAnswer(await this.subordinateStatement(base, subject, spec));
    }
    if (parsed.pathname.endsWith('/trust_mark_status') && init.method === 'POST') return this.status(this.known(base), init.form ?? {}, url);
    throw notFound(url);
  };

  private known(id: string): TestEntity {
    const entity = this.entities.get(id);
    if (!entity) throw notFound(id);
    return entity;
  }

  private statementAnswer(jwt: string): Answer {
    return { contentType: MEDIA_TYPES.entityStatement, body: jwt };
  }

  async entityConfiguration(entity: TestEntity): Promise<string> {
    const statusEndpoint = `${entity.id}/trust_mark_status`;
    const federationEntity = {
      organization_name: entity.id,
      federation_fetch_endpoint: `${entity.id}/fetch`,
      ...(entity.statusForm === 'final' ? { federation_trust_mark_status_endpoint: statusEndpoint } : {}),
      ...(entity.statusForm === 'legacy' ? { federation_status_endpoint: statusEndpoint } : {}),
    };
    const claims = {
      iss: entity.id,
      sub: entity.id,
      iat: this.now,
      exp: this.now + this.lifetime,
      jwks: { keys: entity.keys.map((key) => key.publicJwk) },
      metadata: { ...entity.metadata, federation_entity: { ...federationEntity, ...entity.metadata.federation_entity } },
      ...(entity.authorityHints.length ? { authority_hints: entity.authorityHints } : {}),
      ...(entity.trustMarks.length ? { trust_marks: entity.trustMarks } : {}),
      ...entity.extraClaims,
    };
    return signFederationJwt(claims, entity.signWith.signing, entity.typ as JoseType);
  }

  async subordinateStatement(superiorId: string, subjectId: string, spec: SubordinateSpec): Promise<string> {
    const superior = this.entity(superiorId);
    const claims = { iss: superiorId, sub: subjectId, iat: this.now, exp: this.now + this.lifetime, jwks: spec.jwks ?? this.jwksOf(subjectId), ...spec.extraClaims };
    const key = (spec.signWith ?? superior.signWith).signing;
    const jwt = await signFederationJwt(claims, key, (spec.typ ?? JOSE_TYPES.entityStatement) as JoseType);
    return spec.omitKid ? withoutKid(jwt, key) : jwt;
  }

  private async status(issuer: TestEntity, form: Record<string, string>, url: string): Promise<Answer> {
    if (issuer.statusForm === 'none') throw notFound(url);
    if (form.trust_mark !== undefined) {
      if (issuer.statusForm === 'legacy') throw new FederationError('fetch_failed', 'HTTP 400', { url, status: 400 });
      const status = this.revoked.has(form.trust_mark) ? 'revoked' : 'active';
      const jwt = await signFederationJwt({ iss: issuer.id, iat: this.now, trust_mark: form.trust_mark, status }, issuer.signWith.signing, JOSE_TYPES.trustMarkStatusResponse);
      return { contentType: MEDIA_TYPES.trustMarkStatusResponse, body: jwt };
    }
    const revoked = [...this.revoked].some((jwt) => {
      const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      return claims.sub === form.sub && (claims.trust_mark_type ?? claims.trust_mark_id ?? claims.id) === (form.trust_mark_id ?? form.id);
    });
    return { contentType: 'application/json', body: JSON.stringify({ active: !revoked }) };
  }
}

function notFound(url: string): FederationError {
  return new FederationError('fetch_failed', 'HTTP 404', { url, status: 404 });
}

/** Re-signs nothing: rebuilds the header without its kid, which invalidates the signature as a bonus, so only the kid check is reached first. */
function withoutKid(jwt: string, _key: FederationSigningKey): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const decoded = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>;
  delete decoded.kid;
  return `${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${payload}.${signature}`;
}

/** Flips one character of the signature part: the JWS no longer verifies. */
export function tamperSignature(jwt: string): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
  return `${header}.${payload}.${flipped}`;
}

/** Changes a claim without re-signing. */
export function tamperClaims(jwt: string, change: Record<string, unknown>): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const claims = { ...(JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>), ...change };
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}
