import type { Adapter, AdapterConstructor, AdapterFactory } from 'oidc-provider';
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
  const wrappers = new Map<string, { original: unknown; wrapper: (...args: unknown[]) => unknown }>();
  const wrap = (original: (...args: unknown[]) => unknown, operation: string, object: T) => {
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
  };
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const known = wrappers.get(property);
      if (known?.original === value) return known.wrapper;
      const wrapper = wrap(value as (...args: unknown[]) => unknown, property, object);
      wrappers.set(property, { original: value, wrapper });
      return wrapper;
    },
  });
}

export function measuredStateStore<T extends object>(store: T, backend: StorageBackend): T {
  return measuredCalls(store, { backend, store: 'state' });
}

/** An oidc-provider adapter given as a class or as a factory (both forms the library accepts), measured per model. */
export function measuredAdapter(adapter: AdapterConstructor | AdapterFactory, backend: StorageBackend): AdapterFactory {
  return (name: string): Adapter => {
    let instance: Adapter;
    try {
      instance = new (adapter as AdapterConstructor)(name);
    } catch (error) {
      // Arrow-function factories cannot be called with `new`.
      if (!(error instanceof TypeError)) throw error;
      instance = (adapter as AdapterFactory)(name);
    }
    return measuredCalls(instance, { backend, store: name });
  };
}
