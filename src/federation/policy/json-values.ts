/**
 * JSON value comparison for metadata policy operators. Objects compare by content (key order does
 * not matter): the final spec makes object support optional for most operators, and supporting it
 * costs only this canonical form.
 */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A stable text form of a JSON value: equal JSON values give equal keys. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const members = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export function includesJson(values: readonly unknown[], candidate: unknown): boolean {
  const key = canonicalJson(candidate);
  return values.some((value) => canonicalJson(value) === key);
}

/** `first` then the members of `second` not already in it (no duplicates added). */
export function unionOf(first: readonly unknown[], second: readonly unknown[]): unknown[] {
  const result = [...first];
  for (const value of second) if (!includesJson(result, value)) result.push(value);
  return result;
}

/** The members of `first` (in its order) that `second` also has. */
export function intersectionOf(first: readonly unknown[], second: readonly unknown[]): unknown[] {
  return first.filter((value) => includesJson(second, value));
}

export function isSubsetOf(subset: readonly unknown[], superset: readonly unknown[]): boolean {
  return subset.every((value) => includesJson(superset, value));
}

/** Same members, whatever the order: the spec leaves the order of merged operator values undefined. */
export function sameMembers(a: readonly unknown[], b: readonly unknown[]): boolean {
  return isSubsetOf(a, b) && isSubsetOf(b, a);
}

/** Arrays compare as sets, anything else by content. */
export function operatorValuesEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return sameMembers(a, b);
  return jsonEqual(a, b);
}

/**
 * A member of a JSON object only if it is its own: names like `constructor` must not find
 * Object.prototype's members (a policy for a parameter named so would write into them).
 */
export function ownMember(object: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(object, name) ? object[name] : undefined;
}

/** `__proto__` as a member name would set an object's prototype when assigned: refused wherever input names become keys. */
export function isUnsafeName(name: string): boolean {
  return name === '__proto__';
}

export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
