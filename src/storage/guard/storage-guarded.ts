import type { Adapter, AdapterFactory } from 'oidc-provider';
import { methodsWrappedOnce, type Method } from '../../shared/methods-wrapped-once.js';
import type { StateStore } from '../state-store.js';
import type { StorageOutageWatch } from './storage-outage-watch.js';

/**
 * Every method of `target` reports StorageUnavailableError to `watch`; the result is unchanged, always
 * a promise (a synchronous throw is a rejection). Each wrapper adds one promise reaction per call.
 */
function observed<T extends object>(target: T, watch: StorageOutageWatch): T {
  const report = (error: unknown): never => {
    watch.report(error);
    throw error;
  };
  return methodsWrappedOnce(target, (original, _property, object): Method => (...args) => {
    let result: unknown;
    try {
      result = original.apply(object, args);
    } catch (error) {
      watch.report(error);
      return Promise.reject(error);
    }
    return Promise.resolve(result).then(undefined, report);
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
