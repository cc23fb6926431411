import type { EntityMetadata, FederationConstraints } from './entity-statement.js';
import { FederationError } from './federation-error.js';

/**
 * Trust chain constraints (OpenID Federation 1.0 § 6.2): each subordinate statement's `constraints`
 * applies to its subject and everything below it, independently of the others. Constraint
 * parameters we do not know are ignored, as § 6.2 asks.
 */

const FEDERATION_ENTITY = 'federation_entity';

/** What lies below the statement's issuer: the intermediates between it and the leaf, the entity ids of its subject and every entity below, and the leaf entity types the chain is resolved for. */
export interface BelowConstraint {
  intermediates: number;
  entityIds: string[];
  leafEntityTypes: string[];
}

/**
 * Checks one statement's constraints. `leafEntityTypes` should be the types the chain is used for
 * (e.g. `openid_relying_party`): § 6.2.3 removes other disallowed types rather than refusing the chain
 * (see removeDisallowedEntityTypes). Codes `path_too_long`, `naming_constraint_violated`,
 * `entity_type_not_allowed`; `statement_malformed` when the constraints themselves are malformed.
 */
export function assertConstraints(constraints: FederationConstraints | undefined, below: BelowConstraint): void {
  if (constraints === undefined) return;
  if (typeof constraints !== 'object' || constraints === null || Array.isArray(constraints)) throw malformed('constraints must be a JSON object');
  assertMaxPathLength(constraints.max_path_length, below.intermediates);
  assertNamingConstraints(constraints.naming_constraints, below.entityIds);
  const allowed = allowedEntityTypes(constraints);
  if (allowed === undefined) return;
  const refused = below.leafEntityTypes.filter((type) => type !== FEDERATION_ENTITY && !allowed.includes(type));
  if (refused.length > 0) throw new FederationError('entity_type_not_allowed', `entity types not allowed by the chain: ${refused.join(', ')}`, { refused, allowed });
}

/**
 * Every statement's constraints against its place in the chain. `subordinateStatements` leaf-first:
 * index 0 is the statement about the leaf (issued by its immediate superior), the last one the trust
 * anchor's. The statement at index i has i intermediates between its issuer and the leaf.
 */
export function assertChainConstraints(subordinateStatements: { sub: string; constraints?: FederationConstraints }[], leafEntityTypes: string[]): void {
  subordinateStatements.forEach((statement, index) => {
    const entityIds = subordinateStatements.slice(0, index + 1).map((below) => below.sub);
    assertConstraints(statement.constraints, { intermediates: index, entityIds, leafEntityTypes });
  });
}

/**
 * § 6.2.3: entity types the constraint does not list are removed from the subject's metadata (after the
 * superior's `metadata` is applied, before the policy); `federation_entity` always stays.
 */
export function removeDisallowedEntityTypes(metadata: EntityMetadata, constraints: FederationConstraints | undefined): EntityMetadata {
  const allowed = constraints === undefined ? undefined : allowedEntityTypes(constraints);
  if (allowed === undefined) return metadata;
  return Object.fromEntries(Object.entries(metadata).filter(([type]) => type === FEDERATION_ENTITY || allowed.includes(type)));
}

function assertMaxPathLength(maxPathLength: unknown, intermediates: number): void {
  if (maxPathLength === undefined) return;
  if (typeof maxPathLength !== 'number' || !Number.isInteger(maxPathLength) || maxPathLength < 0) throw malformed('max_path_length must be an integer ≥ 0');
  if (intermediates > maxPathLength) {
    throw new FederationError('path_too_long', `${intermediates} intermediate(s) below an entity that allows ${maxPathLength}`, { intermediates, maxPathLength });
  }
}

function assertNamingConstraints(naming: unknown, entityIds: string[]): void {
  if (naming === undefined) return;
  if (typeof naming !== 'object' || naming === null || Array.isArray(naming)) throw malformed('naming_constraints must be a JSON object');
  const { permitted, excluded } = naming as { permitted?: unknown; excluded?: unknown };
  const permittedNames = nameList(permitted, 'permitted');
  const excludedNames = nameList(excluded, 'excluded');
  for (const entityId of entityIds) {
    const host = hostOf(entityId);
    // Excluded wins over permitted (§ 6.2.2).
    if (host === undefined || excludedNames?.some((name) => hostMatches(host, name)) || (permittedNames && !permittedNames.some((name) => hostMatches(host, name)))) {
      throw new FederationError('naming_constraint_violated', `${entityId} is outside the naming constraints`, { entityId, permitted: permittedNames, excluded: excludedNames });
    }
  }
}

/** RFC 5280 § 4.2.1.10 as § 6.2.2 uses it: ".example.com" = any subdomain (not example.com itself); "host.example.com" = that host only. */
export function hostMatches(host: string, constraint: string): boolean {
  const name = constraint.toLowerCase();
  return name.startsWith('.') ? host.endsWith(name) && host.length > name.length : host === name;
}

function hostOf(entityId: string): string | undefined {
  try {
    return new URL(entityId).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

function nameList(value: unknown, member: string): string[] | undefined {
  if (value === undefined) return undefined;
  // RFC 5280 subtrees have at least one name: an empty list is malformed, not "everything" or "nothing".
  if (!Array.isArray(value) || value.length === 0 || !value.every((name) => typeof name === 'string' && name.length > 0)) {
    throw malformed(`naming_constraints.${member} must be a non-empty array of host or domain names`);
  }
  return value as string[];
}

function allowedEntityTypes(constraints: FederationConstraints): string[] | undefined {
  const allowed: unknown = constraints.allowed_entity_types;
  if (allowed === undefined) return undefined;
  if (!Array.isArray(allowed) || !allowed.every((type) => typeof type === 'string')) throw malformed('allowed_entity_types must be an array of entity type identifiers');
  return allowed as string[];
}

function malformed(reason: string): FederationError {
  return new FederationError('statement_malformed', `constraints: ${reason}`);
}
