import { StorageOutageWatch } from '../../src/storage/guard/storage-outage-watch.js';
import { guardAdapter, guardStateStore } from '../../src/storage/guard/storage-guarded.js';
import { StorageUnavailableError } from '../../src/storage/storage-unavailable-error.js';
import type { StateStore } from '../../src/storage/state-store.js';

const unavailable = () => new StorageUnavailableError(new Error('connection refused'));

/** A store whose methods answer, fail with an outage, fail otherwise, or throw before any promise. */
class FakeStore {
  readonly name = 'fake';
  calls = 0;
  async get(key: string): Promise<string> {
    this.calls += 1;
    return `value of ${key}`;
  }
  async down(): Promise<never> {
    throw unavailable();
  }
  async broken(): Promise<never> {
    throw new TypeError('not an outage');
  }
  throwsAtOnce(): Promise<never> {
    throw unavailable();
  }
  plain(): number {
    return 7;
  }
}

/** Runs `work` as one watched request; true when the watch saw an outage in it. */
const watched = (watch: StorageOutageWatch, work: () => Promise<unknown>) => watch.watch(async () => void (await work().catch(() => undefined)));

describe('the storage guard around a store: outages reported, answers unchanged', () => {
  test('results, `this` and plain properties are the store\'s own; a method is wrapped once, not at every call', async () => {
    const store = new FakeStore();
    const guarded = guardStateStore(store as unknown as StateStore, new StorageOutageWatch()) as unknown as FakeStore;
    await expect(guarded.get('k')).resolves.toBe('value of k');
    expect(store.calls).toBe(1);
    expect(guarded.name).toBe('fake');
    expect(guarded.get).toBe(guarded.get);
    // Every method answers a promise, as before: a synchronous result too.
    await expect(guarded.plain()).resolves.toBe(7);
  });

  test('an outage, rejected or thrown at once, flags the request and reaches the caller unchanged', async () => {
    const watch = new StorageOutageWatch();
    const guarded = guardStateStore(new FakeStore() as unknown as StateStore, watch) as unknown as FakeStore;
    await expect(watch.watch(async () => void (await expect(guarded.down()).rejects.toBeInstanceOf(StorageUnavailableError)))).resolves.toBe(true);
    await expect(watched(watch, () => guarded.throwsAtOnce())).resolves.toBe(true);
    const thrown = guarded.throwsAtOnce();
    expect(thrown).toBeInstanceOf(Promise);
    await expect(thrown).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  test('any other error is not an outage; a request without failure is not flagged', async () => {
    const watch = new StorageOutageWatch();
    const guarded = guardStateStore(new FakeStore() as unknown as StateStore, watch) as unknown as FakeStore;
    await expect(watched(watch, () => guarded.broken())).resolves.toBe(false);
    await expect(guarded.broken()).rejects.toBeInstanceOf(TypeError);
    await expect(watched(watch, () => guarded.get('k'))).resolves.toBe(false);
  });

  test('an adapter factory\'s adapters are guarded the same way', async () => {
    const watch = new StorageOutageWatch();
    const factory = guardAdapter(() => new FakeStore() as never, watch);
    const adapter = factory('Session') as unknown as FakeStore;
    await expect(adapter.get('s')).resolves.toBe('value of s');
    await expect(watched(watch, () => adapter.down())).resolves.toBe(true);
  });
});
