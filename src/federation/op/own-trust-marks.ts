import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../config/config.js';
import { loggerFor } from '../../shared/logger.js';
import type { FederationFetcher } from '../bounded-fetch.js';
import { trustMarkTypeOf, type TrustMarkEntry } from '../entity-statement.js';
import { fetchEntityConfiguration, fetchSubordinateStatement, type VerifiedStatement } from '../entity-statements-fetch.js';
import { FederationError } from '../federation-error.js';
import { decodeUnverified } from '../statement-verification.js';
import type { TrustAnchorSetting } from '../trust-anchors-file.js';
import { MAX_TRUST_MARKS_READ, verifyTrustMark } from '../trust-marks.js';

/** One of the provider's own trust marks: its type and the signed trust mark. */
export interface OwnTrustMark {
  type: string;
  jwt: string;
  /** The trust mark's `exp` (undefined: none). */
  exp?: number;
}

/**
 * The entry the entity configuration publishes: the type under the final name (`trust_mark_type`)
 * and the two earlier ones (`trust_mark_id`, drafts 42; `id`, the Italian profile and the reference
 * RPs), as the reference OP writes them — a reader ignores the names it does not know.
 */
export function trustMarkEntry(mark: OwnTrustMark): TrustMarkEntry {
  return { trust_mark_type: mark.type, trust_mark_id: mark.type, id: mark.type, trust_mark: mark.jwt };
}

export function unexpired(marks: OwnTrustMark[], now: number): OwnTrustMark[] {
  return marks.filter((mark) => mark.exp === undefined || mark.exp > now);
}

function expOf(jwt: string): number | undefined {
  const { exp } = decodeUnverified(jwt).claims;
  return typeof exp === 'number' ? exp : undefined;
}

/**
 * FEDERATION_TRUST_MARKS: `[{"trust_mark_type" (or "trust_mark_id" / "id"), "trust_mark"}]`, read at
 * start. Each must be a JWS about this provider (`sub` = the issuer): a trust mark about someone else
 * is an operator's mistake worth stopping for. Expired ones are simply not published.
 */
export async function loadTrustMarksFile(path: string, issuer: string): Promise<OwnTrustMark[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigError('invalid_config', `cannot read FEDERATION_TRUST_MARKS ${path}: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new ConfigError('invalid_config', `${path} must be a JSON array of {"trust_mark_type", "trust_mark"}`);
  return parsed.map((entry: Record<string, unknown>, index) => {
    const type = entry && typeof entry === 'object' ? trustMarkTypeOf(entry) : undefined;
    const jwt = entry?.trust_mark;
    if (!type || typeof jwt !== 'string') throw new ConfigError('invalid_config', `${path}[${index}]: needs trust_mark_type and trust_mark`);
    let sub: unknown;
    try {
      sub = decodeUnverified(jwt).claims.sub;
    } catch {
      throw new ConfigError('invalid_config', `${path}[${index}]: trust_mark is not a JWS`);
    }
    if (sub !== issuer) throw new ConfigError('invalid_config', `${path}[${index}]: the trust mark is about ${String(sub)}, not ${issuer}`);
    return { type, jwt, exp: expOf(jwt) };
  });
}

/** A trust anchor directly above the provider: its entity configuration and its statement about the provider, both verified (own-chain.ts). */
export interface AnchorLink {
  anchor: VerifiedStatement;
  statement: VerifiedStatement;
}

export interface SuperiorTrustMarksOptions {
  issuer: string;
  /** The provider's superiors (its authority_hints). */
  superiors: string[];
  /** The configured trust anchors: a superior that is one verifies with its configured keys, and they decide which issuers count. */
  anchors: TrustAnchorSetting[];
  fetcher: FederationFetcher;
  clockTolerance: number;
  now?: () => number;
}

/**
 * The trust marks the provider's superiors carry about it in their subordinate statements
 * (`<superior's federation_fetch_endpoint>?sub=<issuer>`), when no FEDERATION_TRUST_MARKS file is
 * set: the way a trust anchor hands a member its trust mark. Only those that verify are kept, by the
 * chain code's own validation (src/federation/trust-marks.ts: typ, an issuer a configured anchor
 * recognises, its signature, `sub` = this provider, not expired). A round that cannot reach a
 * superior or an anchor fails as a whole; the caller keeps the previous set (OwnTrustMarks).
 * `links` receives, for each superior that is a configured anchor, what makes the provider's own
 * chain under it (own-chain.ts).
 */
export async function fetchTrustMarksFromSuperiors(options: SuperiorTrustMarksOptions, links: AnchorLink[] = []): Promise<OwnTrustMark[]> {
  const now = (options.now ?? (() => Math.floor(Date.now() / 1000)))();
  const clock = { now, clockTolerance: options.clockTolerance };
  const configuredKeys = (entityId: string) => options.anchors.find((anchor) => anchor.entityId === entityId)?.jwks;
  const anchors: VerifiedStatement[] = [];
  for (const anchor of options.anchors) anchors.push(await fetchEntityConfiguration(options.fetcher, anchor.entityId, clock, anchor.jwks));
  const issuerConfiguration = (issuer: string) => fetchEntityConfiguration(options.fetcher, issuer, clock, configuredKeys(issuer));
  const found: OwnTrustMark[] = [];
  for (const superiorId of options.superiors) {
    const superior = anchors.find((anchor) => anchor.claims.sub === superiorId) ?? (await fetchEntityConfiguration(options.fetcher, superiorId, clock, configuredKeys(superiorId)));
    const statement = await fetchSubordinateStatement(options.fetcher, superior, options.issuer, clock);
    if (anchors.includes(superior)) links.push({ anchor: superior, statement });
    for (const entry of (statement.claims.trust_marks ?? []).slice(0, MAX_TRUST_MARKS_READ)) {
      for (const anchor of anchors) {
        const mark = await verifyTrustMark(entry, { subject: options.issuer, anchor, issuerConfiguration, clock }).catch(() => undefined);
        if (!mark) continue;
        if (!found.some((known) => known.jwt === mark.jwt)) found.push({ type: mark.type, jwt: mark.jwt, ...(mark.exp === undefined ? {} : { exp: mark.exp }) });
        break;
      }
    }
  }
  return found;
}

/** After a failed round, the superiors are asked again this many seconds later at the earliest. */
export const RETRY_AFTER_FAILURE_SECONDS = 60;

/**
 * The provider's own trust marks as the entity configuration publishes them: a fixed list (the
 * file), or the superiors' set, fetched at start and again every `refreshSeconds` in the background
 * (a failed round keeps the previous set, is logged, and is tried again a minute later). `onChange` runs when the set changed, so
 * the entity configuration is signed anew with it.
 */
export class OwnTrustMarks {
  #marks: OwnTrustMark[];
  #fetchedAt = -Infinity;
  #refreshing: Promise<void> | undefined;

  constructor(
    private readonly source: { fixed: OwnTrustMark[] } | { fetch: () => Promise<OwnTrustMark[]>; refreshSeconds: number },
    private readonly onChange: () => void,
    private readonly log: (event: Record<string, unknown>) => void = (event) => loggerFor('federation').warn(event),
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.#marks = 'fixed' in source ? source.fixed : [];
  }

  /** The current set, valid now. The first call waits for the first fetch (itself bounded in time). */
  async current(): Promise<OwnTrustMark[]> {
    if ('fetch' in this.source) {
      const first = this.#fetchedAt === -Infinity;
      if (this.now() - this.#fetchedAt >= this.source.refreshSeconds) this.#refreshing ??= this.#refresh(this.source.fetch);
      if (first) await this.#refreshing;
    }
    return unexpired(this.#marks, this.now());
  }

  async #refresh(fetch: () => Promise<OwnTrustMark[]>): Promise<void> {
    try {
      const marks = await fetch();
      const changed = marks.map((m) => m.jwt).join() !== this.#marks.map((m) => m.jwt).join();
      this.#marks = marks;
      if (changed) this.onChange();
      this.#fetchedAt = this.now();
    } catch (error) {
      this.log({ event: 'federation_own_trust_marks_unavailable', code: error instanceof FederationError ? error.code : 'internal', reason: (error as Error).message });
      // Asked again sooner than a success: an anchor down at start, or an enrolment not done yet, should not cost an hour.
      this.#fetchedAt = this.now() - ('fetch' in this.source ? this.source.refreshSeconds : 0) + RETRY_AFTER_FAILURE_SECONDS;
    } finally {
      this.#refreshing = undefined;
    }
  }
}
