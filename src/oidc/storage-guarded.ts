import type { Adapter, AdapterConstructor, AdapterFactory } from 'oidc-provider';
import type { StateStore } from './state/state-store.js';
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

/** Wraps an oidc-provider adapter given as a class or as a factory (both forms the library accepts). */
export function guardAdapter(adapter: AdapterConstructor | AdapterFactory, watch: StorageOutageWatch): AdapterFactory {
  return (name: string): Adapter => {
    let instance: Adapter;
    try {
      instance = new (adapter as AdapterConstructor)(name);
    } catch (error) {
      // Arrow-function factories cannot be called with `new`.
      if (!(error instanceof TypeError)) throw error;
      instance = (adapter as AdapterFactory)(name);
    }
    return observed(instance, watch);
  };
}
