/**
 * Which grant a grant-bound token belongs to, remembered in-process. The mapping never changes once
 * written (a token id gains its grantId once and keeps it), so a remembered location is always right;
 * an entry that has since expired or been revoked is simply not found at that location. Remembering
 * saves the `grantOf` lookup, one Redis round trip, on each later find/consume/destroy of the same token
 * in this process. Another instance, or this one after eviction, asks Redis as before.
 */
export class GrantLocations {
  readonly #grantOf = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  get(model: string, id: string): string | undefined {
    return this.#grantOf.get(`${model}:${id}`);
  }

  remember(model: string, id: string, grantId: string): void {
    const key = `${model}:${id}`;
    if (this.#grantOf.has(key)) return;
    // Oldest first: Map iterates in insertion order.
    if (this.#grantOf.size >= this.capacity) this.#grantOf.delete(this.#grantOf.keys().next().value as string);
    this.#grantOf.set(key, grantId);
  }

  forget(model: string, id: string): void {
    this.#grantOf.delete(`${model}:${id}`);
  }
}
