/**
 * `scope` is a space-separated string in client metadata (RFC 7591) but policy operators treat it as
 * an array of scope values (OpenID Federation 1.0 § 6.1.3.1.8, "Notes on Operators"): split before the
 * operators run, joined again after.
 */
const SCOPE = 'scope';

const split = (text: string) => text.split(/\s+/).filter((part) => part.length > 0);

export function isScopeParameter(parameter: string): boolean {
  return parameter === SCOPE;
}

/** The metadata value as operators see it. */
export function scopeAsArray(value: unknown): unknown {
  return typeof value === 'string' ? split(value) : value;
}

/** The operator values as comparable arrays: `value` and `default` may be written as scope strings. */
export function scopeOperators(operators: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...operators };
  for (const name of ['value', 'default'] as const) if (typeof result[name] === 'string') result[name] = split(result[name]);
  return result;
}

/** Back to the metadata form. */
export function scopeAsString(value: unknown): unknown {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value.join(' ') : value;
}
