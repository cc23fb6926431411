import type { Adapter, AdapterFactory } from 'oidc-provider';
import type { StateStore } from '../state-store.js';
import type { StorageOutageWatch } from './storage-outage-watch.js';

type Method = (...args: unknown[]) => unknown;

/**
 * Every method of `target` reports StorageUnavailableError to `watch`; the result is unchanged, always
 * a promise (a synchronous throw is a rejection). Each method's wrapper is made at its first call and
 * reused, and adds one promise reaction per call: these wrappers sit on every storage call of every request.
 */
function observed<T extends object>(target: T, watch: StorageOutageWatch): T {
  const wrappers = new Map<PropertyKey, { original: Method; wrapper: Method }>();
  const report = (error: unknown): never => {
    watch.report(error);
    throw error;
  };
  const wrap = (original: Method, object: T): Method => (...args) => {
    let result: unknown;
    try {
      result = original.apply(object, args);
    } catch (error) {
      watch.report(error);
      return Promise.reject(error);
    }
    return Promise.resolve(result).then(undefined, report);
  };
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      const known = wrappers.get(property);
      if (known?.original === value) return known.wrapper;
      const wrapper = wrap(value as Method, object);
      wrappers.set(property, { original: value as Method, wrapper });
      return wrapper;
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
