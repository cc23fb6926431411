import { AnchorError } from './anchor-error.js';

const MAX_ENTITY_ID_LENGTH = 2048;
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** An entity id the anchor accepts: an http(s) URL without query or fragment (loopback http for local RPs). */
export function assertEntityId(value: string, what = 'entity id'): string {
  if (value.length > MAX_ENTITY_ID_LENGTH) throw new AnchorError('ANCHOR_INVALID_ENTITY_ID', `the ${what} is longer than ${MAX_ENTITY_ID_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AnchorError('ANCHOR_INVALID_ENTITY_ID', `the ${what} "${value}" is not a URL (e.g. https://rp.example/)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AnchorError('ANCHOR_INVALID_ENTITY_ID', `the ${what} "${value}" must be an https URL`);
  if (url.search || url.hash || value.includes('#') || value.includes('?')) throw new AnchorError('ANCHOR_INVALID_ENTITY_ID', `the ${what} "${value}" must have no query and no fragment`);
  if (url.username || url.password) throw new AnchorError('ANCHOR_INVALID_ENTITY_ID', `the ${what} "${value}" must not carry credentials`);
  return value;
}

/** Intermediate names become a path segment of their entity id. */
export function assertIntermediateName(value: string): string {
  if (!NAME.test(value)) throw new AnchorError('ANCHOR_INVALID_NAME', `intermediate name "${value}": use 1–63 lower-case letters, digits and "-"`);
  return value;
}
