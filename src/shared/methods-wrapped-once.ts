export type Method = (...args: unknown[]) => unknown;

/**
 * `target` behind a proxy that hands out each of its methods wrapped by `wrap`, the wrapper made at the
 * method's first use and reused while the method stays the same function: wrappers that sit on every
 * storage call of every request (the metrics', the outage guard's) cost no closure per call.
 * `wrap` gets the method, its property and the target (the `this` to call it with); returning the
 * method itself leaves it unwrapped. Any other property reads through unchanged.
 */
export function methodsWrappedOnce<T extends object>(target: T, wrap: (method: Method, property: PropertyKey, object: T) => Method): T {
  const wrappers = new Map<PropertyKey, { original: Method; wrapper: Method }>();
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      const known = wrappers.get(property);
      if (known?.original === value) return known.wrapper;
      const wrapper = wrap(value as Method, property, object);
      wrappers.set(property, { original: value as Method, wrapper });
      return wrapper;
    },
  });
}
