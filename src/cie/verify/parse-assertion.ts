import { AssertionError } from './assertion-error.js';

export const MAX_ASSERTION_BYTES = 16 * 1024;

/** The assertion as sent by the bridge; nothing in it is trusted yet. */
export interface UntrustedAssertion {
  format: string;
  origin: string;
  challenge: string;
  certificate: string;
  algorithm: string;
  signature: string;
}

const fields = ['format', 'origin', 'challenge', 'certificate', 'algorithm', 'signature'] as const;

/** Size limit, JSON and field types: the minimum needed to look the challenge up. */
export function parseAssertion(raw: string): UntrustedAssertion {
  if (Buffer.byteLength(raw, 'utf8') > MAX_ASSERTION_BYTES) {
    throw new AssertionError('assertion_too_large', `assertion exceeds ${MAX_ASSERTION_BYTES} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new AssertionError('malformed_assertion', 'assertion is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AssertionError('malformed_assertion', 'assertion is not a JSON object');
  }
  const record = value as Record<string, unknown>;
  for (const field of fields) {
    if (typeof record[field] !== 'string') throw new AssertionError('malformed_assertion', `assertion field "${field}" is missing or not a string`);
  }
  return Object.fromEntries(fields.map((field) => [field, record[field]])) as unknown as UntrustedAssertion;
}
