import type { Adapter, AdapterConstructor, AdapterFactory } from 'oidc-provider';
import { methodsWrappedOnce } from '../shared/methods-wrapped-once.js';
import { secondsSince, storageDuration, storageErrors } from './metrics.js';

export type StorageBackend = 'memory' | 'redis';

interface StorageLabels {
  backend: StorageBackend;
  /** `state` (the StateStore) or the oidc-provider model name. */
  store: string;
}

/**
 * Every async method of `target` is timed, and its failures counted by error code; results unchanged.
 * Each method's wrapper and its histogram child (labels resolved once, not hashed per call) are made
 * at its first call and reused: these wrappers sit on every storage call of every request.
 */
export function measuredCalls<T extends object>(target: T, labels: StorageLabels): T {
  return methodsWrappedOnce(target, (original, operation, object) => {
    // Symbol-keyed methods are not storage operations: left as they are.
    if (typeof operation !== 'string') return original;
    const duration = storageDuration.labels({ ...labels, operation });
    return (...args: unknown[]) => {
      const result: unknown = original.apply(object, args);
      if (!(result instanceof Promise)) return result;
      const started = process.hrtime.bigint();
      return result.then(
        (answer: unknown) => {
          duration.observe(secondsSince(started));
          return answer;
        },
        (error: unknown) => {
          duration.observe(secondsSince(started));
          const code = (error as { code?: unknown } | undefined)?.code;
          storageErrors.inc({ ...labels, code: typeof code === 'string' ? code : 'internal_error' });
          throw error;
        },
      );
    };
  });
}

/** `metered: false` (no metrics endpoint, METRICS_PORT empty): the store as given, nothing timed. */
export function measuredStateStore<T extends object>(store: T, backend: StorageBackend, metered = true): T {
  return metered ? measuredCalls(store, { backend, store: 'state' }) : store;
}

/**
 * An oidc-provider adapter given as a class or as a factory (both forms the library accepts), as a
 * factory whose adapters are measured per model; with `metered: false`, as they are.
 */
export function measuredAdapter(adapter: AdapterConstructor | AdapterFactory, backend: StorageBackend, metered = true): AdapterFactory {
  return (name: string): Adapter => {
    let instance: Adapter;
    try {
      instance = new (adapter as AdapterConstructor)(name);
    } catch (error) {
      // Arrow-function factories cannot be called with `new`.
      if (!(error instanceof TypeError)) throw error;
      instance = (adapter as AdapterFactory)(name);
    }
    return metered ? measuredCalls(instance, { backend, store: name }) : instance;
  };
}
