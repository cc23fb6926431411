/**
 * @peculiar/x509 2.x loads tsyringe, which refuses to start unless the Reflect metadata API exists
 * (normally provided by the `reflect-metadata` package, which this project does not install).
 * x509 only reads constructor metadata, so a small in-memory store is enough. Written by hand
 * because no installed library provides it; replace with `import 'reflect-metadata'` once added.
 */
type MetadataStore = WeakMap<object, Map<unknown, unknown>>;
interface ReflectMetadataApi {
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  getMetadata?: (key: unknown, target: object) => unknown;
}

const reflect = Reflect as unknown as ReflectMetadataApi;

if (typeof reflect.getMetadata !== 'function') {
  const store: MetadataStore = new WeakMap();
  const own = (target: object, key: unknown): unknown => store.get(target)?.get(key);
  reflect.defineMetadata = (key, value, target) => {
    const entries = store.get(target) ?? new Map<unknown, unknown>();
    entries.set(key, value);
    store.set(target, entries);
  };
  reflect.getOwnMetadata = (key, target) => own(target, key);
  reflect.getMetadata = (key, target) => {
    for (let current: object | null = target; current !== null; current = Object.getPrototypeOf(current) as object | null) {
      const value = own(current, key);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}
