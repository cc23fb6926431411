/**
 * Redis key names of the oidc-provider adapter (scheme explained in docs/storage.md). Everything a
 * grant revocation must delete shares the hash tag `{grant:<grantId>}`, so one Lua script on one
 * Redis Cluster slot removes it atomically. Every other operation touches a single key.
 */
export class RedisAdapterKeys {
  constructor(private readonly prefix: string) {
    if (/[{}]/.test(prefix)) throw new TypeError('the key prefix must not contain { or } (it would change the hash tag)');
  }

  /** Hash {payload, consumed?} of an entry that belongs to no grant. */
  entry(model: string, id: string): string {
    return `${this.prefix}${model}:${id}`;
  }

  /** Hash {payload, consumed?} of a grant-bound token, in its grant's slot. */
  grantEntry(grantId: string, model: string, id: string): string {
    return `${this.prefix}{grant:${grantId}}:${model}:${id}`;
  }

  /** Sorted set of the grant's entry keys, scored by their expiry in epoch ms. */
  grantMembers(grantId: string): string {
    return `${this.prefix}{grant:${grantId}}:members`;
  }

  /** Hash {rotation, payload, consumed}: the grant's spent tokens of one model (refresh tokens), in the grant's slot. */
  grantSpent(grantId: string, model: string): string {
    return `${this.prefix}{grant:${grantId}}:spent:${model}`;
  }

  /** String: the grantId of a grant-bound token (its entry lives in that grant's slot). */
  grantOf(model: string, id: string): string {
    return `${this.prefix}grantOf:${model}:${id}`;
  }

  /** String: the Session id with this uid. */
  sessionUid(uid: string): string {
    return `${this.prefix}sessionUid:${uid}`;
  }

  /** String: the DeviceCode id with this user code. */
  userCode(userCode: string): string {
    return `${this.prefix}userCode:${userCode}`;
  }
}
