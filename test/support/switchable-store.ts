import type { StateStore } from '../../src/storage/state-store.js';
import { StorageUnavailableError } from '../../src/storage/storage-unavailable-error.js';

/**
 * A StateStore a test can switch off: while `down`, every call but `close` rejects as Redis does in an
 * outage (StorageUnavailableError), so the provider's guard and pages can be checked without a server.
 */
export function switchableStore(inner: StateStore): { store: StateStore; setDown(down: boolean): void } {
  let down = false;
  const store = new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (down && name !== 'close' ? Promise.reject(new StorageUnavailableError(new Error('switched off'))) : (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  }) as StateStore;
  return { store, setDown: (next) => { down = next; } };
}
