import type { FederationFetcher } from './bounded-fetch.js';
import { loggerFor } from '../shared/logger.js';
import { assertChainConstraints, assertConstraints } from './constraints.js';
import type { EntityMetadata } from './entity-statement.js';
import { fetchEntityConfiguration, fetchSubordinateStatement, type StatementClock, type VerifiedStatement } from './entity-statements-fetch.js';
import { FederationError } from './federation-error.js';
import { JOSE_TYPES } from './media-types.js';
import { resolveChainMetadata } from './policy/index.js';
import { verifyFederationJwt } from './statement-verification.js';
import type { TrustAnchorSetting } from './trust-anchors-file.js';
import { checkTrustMarkStatus } from './trust-mark-status.js';
import { requireTrustMark, validTrustMarks, type TrustMarkContext, type VerifiedTrustMark } from './trust-marks.js';

export interface TrustChain {
  subject: string;
  trustAnchor: string;
  /** The spec's `trust_chain` order: the subject's entity configuration, the subordinate statements upwards, the anchor's entity configuration. */
  statements: string[];
  /** The subject's metadata with the chain's metadata policy applied. */
  metadata: EntityMetadata;
  /** The subject's trust marks that verify (the required one first, when the anchor requires one). */
  trustMarks: VerifiedTrustMark[];
  /** The trust mark the anchor's `requiredTrustMarks` were satisfied with: its status is re-checked while the chain is cached. */
  requiredTrustMark?: VerifiedTrustMark;
  /** The smallest `exp` of the chain's statements (and of the required trust mark), seconds. */
  exp: number;
  /** When the chain was resolved, seconds. */
  resolvedAt: number;
}

export interface TrustChainResolverOptions {
  anchors: TrustAnchorSetting[];
  fetcher: FederationFetcher;
  limits: { resolveTimeoutMs: number; maxAuthorityHints: number };
  /** Seconds of clock difference tolerated on iat/exp. */
  clockTolerance: number;
  /** Seconds since the epoch (the JWT clock). */
  now?: () => number;
  /** One JSON-able line per resolution (default: an info line of the logger). Never gets keys or tokens. */
  log?: (line: Record<string, unknown>) => void;
}

/** Superiors visited in one resolution at most, whatever the hints say (with maxAuthorityHints each, and cycles skipped). */
export const MAX_SUPERIORS_VISITED = 16;
/** Subordinate statements in one chain at most: deeper federations do not exist in practice. */
export const MAX_CHAIN_STATEMENTS = 8;

interface PathNode {
  entityId: string;
  configuration: VerifiedStatement;
  /** Subordinate statements from the one about the leaf up to the one about this entity. */
  statementsBelow: VerifiedStatement[];
}

/**
 * Builds an RP's trust chain up to a configured trust anchor, in the order the Italian profile asks
 * (italia/spid-cie-oidc-docs trust_negotiation.rst, seccons_bcps.rst; OpenID Federation 1.0 § "Resolving the Trust Chain and Metadata"):
 * the leaf's entity configuration; the anchor's entity configuration verified with the CONFIGURED
 * anchor keys; the anchor's required trust mark validated before any other third-party fetch; then the
 * authority_hints walked breadth-first (at most maxAuthorityHints per entity, cycles skipped), each
 * superior's statement about its subordinate fetched and verified with the superior's keys, and the
 * subordinate's entity configuration verified with the keys that statement binds; then constraints,
 * metadata policy and exp = min. Written by hand: no npm library covers trust marks, the profile's
 * order and the legacy names together (docs/federation.md).
 */
export class TrustChainResolver {
  private readonly now: () => number;
  private readonly log: (line: Record<string, unknown>) => void;

  constructor(private readonly options: TrustChainResolverOptions) {
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.log = options.log ?? ((line) => loggerFor('federation').info(line));
  }

  get anchors(): readonly TrustAnchorSetting[] {
    return this.options.anchors;
  }

  async resolve(subject: string, options: { trustAnchor?: string; entityType?: string } = {}): Promise<TrustChain> {
    const started = Date.now();
    let outcome = 'ok';
    let anchor: string | undefined = options.trustAnchor;
    try {
      const chain = await this.withinDeadline((fetcher) => this.resolveAny(subject, options, fetcher));
      anchor = chain.trustAnchor;
      return chain;
    } catch (error) {
      outcome = error instanceof FederationError ? error.code : 'internal_error';
      throw error;
    } finally {
      this.log({ event: 'federation_trust_chain_resolution', subject, trust_anchor: anchor ?? null, duration_ms: Date.now() - started, outcome });
    }
  }

  /** The required trust mark's status asked again (the cache calls this every trustMarkStatusInterval). */
  async recheckTrustMarks(chain: TrustChain): Promise<void> {
    const mark = chain.requiredTrustMark;
    if (!mark) return;
    if (mark.exp !== undefined && mark.exp <= this.now() - this.options.clockTolerance) throw new FederationError('trust_mark_expired', `trust mark ${mark.type} expired`);
    await checkTrustMarkStatus(this.options.fetcher, mark, this.clock());
  }

  private clock(): StatementClock {
    return { now: this.now(), clockTolerance: this.options.clockTolerance };
  }

  /**
   * Runs `work` with a fetcher that refuses to start anything once resolveTimeoutMs has passed, and
   * rejects with resolve_timeout at that moment (each fetch under way is bounded by its own timeout).
   */
  private async withinDeadline<T>(work: (fetcher: FederationFetcher) => Promise<T>): Promise<T> {
    const { resolveTimeoutMs } = this.options.limits;
    const expired = () => new FederationError('resolve_timeout', `trust chain not resolved within ${resolveTimeoutMs} ms`);
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(expired());
      }, resolveTimeoutMs);
    });
    const fetcher: FederationFetcher = (url, init) => (timedOut ? Promise.reject(expired()) : this.options.fetcher(url, init));
    const running = work(fetcher);
    running.catch(() => undefined); // its failure after the deadline is nobody's concern
    try {
      return await Promise.race([running, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async resolveAny(subject: string, options: { trustAnchor?: string; entityType?: string }, fetcher: FederationFetcher): Promise<TrustChain> {
    const anchors = options.trustAnchor === undefined ? this.options.anchors : this.options.anchors.filter((anchor) => anchor.entityId === options.trustAnchor);
    if (anchors.length === 0) throw new FederationError('no_trust_anchor', options.trustAnchor === undefined ? 'no trust anchor configured' : `${options.trustAnchor} is not a configured trust anchor`);
    const leaf = await fetchEntityConfiguration(fetcher, subject, this.clock());
    const failures: unknown[] = [];
    for (const anchor of anchors) {
      try {
        return await this.resolveUnder(leaf, anchor, options.entityType, fetcher);
      } catch (error) {
        failures.push(error);
      }
    }
    // The most telling failure: one that is not merely "no path" (a bad signature, a revoked trust mark…).
    throw failures.find((error) => !(error instanceof FederationError && error.code === 'no_path_to_trust_anchor')) ?? failures[0];
  }

  private async resolveUnder(leaf: VerifiedStatement, setting: TrustAnchorSetting, entityType: string | undefined, fetcher: FederationFetcher): Promise<TrustChain> {
    const subject = leaf.claims.sub;
    const anchor = await fetchEntityConfiguration(fetcher, setting.entityId, this.clock(), setting.jwks);
    const trustMarks: TrustMarkContext = { subject, anchor, clock: this.clock(), issuerConfiguration: (issuer) => fetchEntityConfiguration(fetcher, issuer, this.clock()) };
    // Profile rule: no discovery (no third-party fetch) for an RP without a valid required trust mark.
    const requiredTrustMark = setting.requiredTrustMarks.length === 0 ? undefined : await requireTrustMark(leaf.claims, setting.requiredTrustMarks, trustMarks, (mark) => checkTrustMarkStatus(fetcher, mark, this.clock()));

    const statements = await this.findPath(leaf, anchor, fetcher);
    const leafEntityTypes = entityType === undefined ? [] : [entityType];
    assertChainConstraints(statements.map((statement) => statement.claims), leafEntityTypes);
    assertConstraints(anchor.claims.constraints, { intermediates: statements.length - 1, entityIds: statements.map((statement) => statement.claims.sub), leafEntityTypes });
    const metadata = resolveChainMetadata(leaf.claims.metadata ?? {}, statements.map((statement) => statement.claims).reverse());
    if (entityType !== undefined && metadata[entityType] === undefined) throw new FederationError('entity_type_not_allowed', `${subject} has no ${entityType} metadata in this chain`);

    const others = await validTrustMarks(leaf.claims, trustMarks, new Set(requiredTrustMark ? [requiredTrustMark.jwt] : []));
    const all = [leaf, ...statements, anchor];
    const exps = [...all.map((statement) => statement.claims.exp), ...(requiredTrustMark?.exp !== undefined ? [requiredTrustMark.exp] : [])];
    return {
      subject,
      trustAnchor: setting.entityId,
      statements: all.map((statement) => statement.jwt),
      metadata,
      trustMarks: requiredTrustMark ? [requiredTrustMark, ...others] : others,
      ...(requiredTrustMark ? { requiredTrustMark } : {}),
      exp: Math.min(...exps),
      resolvedAt: this.now(),
    };
  }

  /**
   * Breadth-first from the leaf to the anchor; returns the subordinate statements leaf-first. A
   * failing branch (unreachable superior, bad signature…) does not end the search; when no branch
   * reaches the anchor, the first failure met is thrown (or no_path_to_trust_anchor).
   */
  private async findPath(leaf: VerifiedStatement, anchor: VerifiedStatement, fetcher: FederationFetcher): Promise<VerifiedStatement[]> {
    const anchorId = anchor.claims.sub;
    const queue: PathNode[] = [{ entityId: leaf.claims.sub, configuration: leaf, statementsBelow: [] }];
    const visited = new Set<string>([leaf.claims.sub]);
    let firstFailure: unknown;
    while (queue.length > 0) {
      const node = queue.shift()!;
      if (node.statementsBelow.length >= MAX_CHAIN_STATEMENTS) continue;
      for (const hint of authorityHintsOf(node.configuration).slice(0, this.options.limits.maxAuthorityHints)) {
        if (hint !== anchorId && visited.has(hint)) continue; // a cycle, or a superior another branch already tried
        if (hint !== anchorId && visited.size > MAX_SUPERIORS_VISITED) continue;
        visited.add(hint);
        try {
          const superior = hint === anchorId ? anchor : await fetchEntityConfiguration(fetcher, hint, this.clock());
          const statement = await fetchSubordinateStatement(fetcher, superior, node.entityId, this.clock());
          await this.assertKeyBound(node.configuration, statement);
          const statementsBelow = [...node.statementsBelow, statement];
          if (hint === anchorId) return statementsBelow;
          queue.push({ entityId: hint, configuration: superior, statementsBelow });
        } catch (error) {
          firstFailure ??= error;
        }
      }
    }
    throw firstFailure ?? new FederationError('no_path_to_trust_anchor', `no authority_hints path from ${leaf.claims.sub} to ${anchorId}`);
  }

  /** Key binding: the subject's entity configuration must verify with the keys its superior's statement gives it. */
  private async assertKeyBound(configuration: VerifiedStatement, statement: VerifiedStatement): Promise<void> {
    try {
      await verifyFederationJwt(configuration.jwt, statement.claims.jwks, { typ: JOSE_TYPES.entityStatement, ...this.clock() });
    } catch (error) {
      throw new FederationError('key_not_bound', `${statement.claims.iss} does not bind the key that signed ${statement.claims.sub}'s entity configuration`, {}, { cause: error });
    }
  }
}

function authorityHintsOf(configuration: VerifiedStatement): string[] {
  const hints = configuration.claims.authority_hints;
  return Array.isArray(hints) ? hints.filter((hint): hint is string => typeof hint === 'string') : [];
}
