import type { Adapter, AdapterFactory } from 'oidc-provider';
import type { StateStore } from '../state-store.js';
import type { StorageOutageWatch } from './storage-outage-watch.js';

/** Every async method of `target` reports StorageUnavailableError to `watch` (the result is unchanged). */
function observed<T extends object>(target: T, watch: StorageOutageWatch): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => watch.observe(async () => (value as (...a: unknown[]) => unknown).apply(object, args));
    },
  });
}

export function guardStateStore(store: StateStore, watch: StorageOutageWatch): StateStore {
  return observed(store, watch);
}

/**
 * Wraps an oidc-provider adapter factory. Only a factory: the provider app hands in the metered adapter
 * (observability/measured-storage.ts), which already turned a class or a factory into one.
 */
export function guardAdapter(adapter: AdapterFactory, watch: StorageOutageWatch): AdapterFactory {
  return (name: string): Adapter => observed(adapter(name), watch);
}
