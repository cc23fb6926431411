import { readFile } from 'node:fs/promises';
import type { FederationJwks } from './entity-statement.js';
import { FederationError } from './federation-error.js';
import { assertJwks } from './statement-verification.js';

/**
 * One trust anchor the operator trusts RPs through. `jwks` are the anchor's federation keys as the
 * operator obtained them out of band: the anchor's entity configuration must be signed with one of
 * them (the keys it adds in that configuration are then trusted too — that is how an anchor rotates).
 */
export interface TrustAnchorSetting {
  entityId: string;
  jwks: FederationJwks;
  /** Trust mark types of which an RP must hold at least one valid ([] = none required). */
  requiredTrustMarks: string[];
  /** The per-anchor request-object leniency of the hardening issue (true, false or the RP ids it applies to). */
  legacyRequestObjects: boolean | string[];
}

function invalid(message: string, source: string): FederationError {
  return new FederationError('settings_file_invalid', `trust anchors ${source}: ${message}`, { source });
}

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Parses the FEDERATION_TRUST_ANCHORS JSON: `[{"entity_id", "jwks", "required_trust_marks", "legacy_request_objects"}]`. */
export function parseTrustAnchors(text: string, source = 'file'): TrustAnchorSetting[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('not JSON', source);
  }
  if (!Array.isArray(value)) throw invalid('expected a JSON array', source);
  return value.map((entry: Record<string, unknown>, index) => {
    const at = `${source}[${index}]`;
    if (entry === null || typeof entry !== 'object') throw invalid('an entry is not an object', at);
    const entityId = entry.entity_id;
    if (typeof entityId !== 'string' || !/^https?:\/\//.test(entityId)) throw invalid('entity_id must be an http(s) URL', at);
    let jwks: FederationJwks;
    try {
      jwks = assertJwks(entry.jwks, entityId);
    } catch {
      throw invalid('jwks must be {"keys": [...]} with a kid on every key', at);
    }
    const required = entry.required_trust_marks ?? [];
    if (!isStringList(required)) throw invalid('required_trust_marks must be a list of trust mark types', at);
    const legacy = entry.legacy_request_objects ?? false;
    if (typeof legacy !== 'boolean' && !isStringList(legacy)) throw invalid('legacy_request_objects must be true, false or a list of entity ids', at);
    return { entityId, jwks, requiredTrustMarks: required, legacyRequestObjects: legacy };
  });
}

/** Reads and parses the FEDERATION_TRUST_ANCHORS file (at start: a bad file stops the provider with its reason). */
export async function loadTrustAnchors(path: string): Promise<TrustAnchorSetting[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FederationError('settings_file_invalid', `trust anchors file ${path} cannot be read`, { path }, { cause: error });
  }
  return parseTrustAnchors(text, path);
}
