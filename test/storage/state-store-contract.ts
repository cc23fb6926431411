import type { StateStore } from '../../src/storage/state-store.js';
import { eventually } from './eventually.js';

export interface StateStoreHarness {
  /** A store whose keys do not collide with the other stores of this harness. */
  create(): StateStore;
  close(): Promise<void>;
}

/** Behaviour every StateStore must have (run against MemoryStateStore and RedisStateStore). */
export function describeStateStoreContract(label: string, open: () => Promise<StateStoreHarness>): void {
  describe(`${label}: StateStore contract`, () => {
    let harness: StateStoreHarness;
    let store: StateStore;

    beforeAll(async () => {
      harness = await open();
    });
    afterAll(async () => {
      await harness.close();
    });
    beforeEach(() => {
      store = harness.create();
    });
    afterEach(async () => {
      await store.close();
    });

    test('putIfAbsent stores once; get reads without consuming; delete removes', async () => {
      expect(await store.putIfAbsent('k', { n: 1 }, 60)).toBe(true);
      expect(await store.putIfAbsent('k', { n: 2 }, 60)).toBe(false);
      expect(await store.get('k')).toEqual({ n: 1 });
      expect(await store.get('k')).toEqual({ n: 1 });
      await store.delete('k');
      expect(await store.get('k')).toBeUndefined();
      expect(await store.putIfAbsent('k', { n: 3 }, 60)).toBe(true);
    });

    test('put replaces the value; concurrent readers never see it missing', async () => {
      await store.put('account', { v: 0 }, 60);
      const readers: Promise<object | undefined>[] = [];
      for (let v = 1; v <= 20; v += 1) {
        readers.push(store.put('account', { v }, 60).then(() => undefined));
        readers.push(store.get('account'));
      }
      const seen = (await Promise.all(readers)).filter((value) => value !== undefined);
      expect(seen).toHaveLength(20);
      expect(await store.get('account')).toEqual({ v: 20 });
    });

    test('take returns the value once', async () => {
      await store.putIfAbsent('ticket', { user: 'a' }, 60);
      expect(await store.take('ticket')).toEqual({ user: 'a' });
      expect(await store.take('ticket')).toBeUndefined();
      expect(await store.get('ticket')).toBeUndefined();
    });

    test('of 50 concurrent takes exactly one gets the value', async () => {
      await store.putIfAbsent('challenge', { bytes: 'xyz' }, 60);
      const results = await Promise.all(Array.from({ length: 50 }, () => store.take<{ bytes: string }>('challenge')));
      expect(results.filter((r) => r !== undefined)).toEqual([{ bytes: 'xyz' }]);
    });

    test('of 50 concurrent putIfAbsent exactly one wins', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.putIfAbsent('jti', { i }, 60)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    test('increment counts from 1, also under concurrency', async () => {
      expect(await store.increment('counter', 60)).toBe(1);
      expect(await store.increment('counter', 60)).toBe(2);
      const values = await Promise.all(Array.from({ length: 50 }, () => store.increment('counter', 60)));
      expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 3));
    });

    test('entries and counters expire after their TTL', async () => {
      await store.putIfAbsent('short', { v: 1 }, 1);
      await store.increment('short-counter', 1);
      await eventually(async () => (await store.get('short')) === undefined);
      expect(await store.putIfAbsent('short', { v: 2 }, 60)).toBe(true);
      await eventually(async () => (await store.increment('short-counter', 60)) === 1);
    });

    test('a counter keeps the expiry of its first increment', async () => {
      await store.increment('window', 1);
      await store.increment('window', 3600);
      await eventually(async () => (await store.increment('window', 3600)) === 1);
    });

    test('a set adds, lists and removes members; it vanishes with its last member', async () => {
      expect(await store.setMembers('grants')).toEqual([]);
      await store.addToSet('grants', 'g1', 60);
      await store.addToSet('grants', 'g2', 60);
      await store.addToSet('grants', 'g1', 60);
      expect([...(await store.setMembers('grants'))].sort()).toEqual(['g1', 'g2']);
      expect(await store.removeFromSet('grants', 'g1')).toBe(true);
      expect(await store.removeFromSet('grants', 'g1')).toBe(false);
      expect(await store.setMembers('grants')).toEqual(['g2']);
      expect(await store.removeFromSet('grants', 'g2')).toBe(true);
      expect(await store.setMembers('grants')).toEqual([]);
      expect(await store.removeFromSet('nothing', 'g1')).toBe(false);
    });

    test('sets under different keys are independent; delete drops a whole set', async () => {
      await store.addToSet('set-a', 'same', 60);
      await store.addToSet('set-b', 'same', 60);
      await store.delete('set-a');
      expect(await store.setMembers('set-a')).toEqual([]);
      expect(await store.setMembers('set-b')).toEqual(['same']);
    });

    test('each member expires on its own; adding it again renews it', async () => {
      await store.addToSet('expiring', 'short', 1);
      await store.addToSet('expiring', 'long', 3600);
      await store.addToSet('expiring', 'renewed', 1);
      await store.addToSet('expiring', 'renewed', 3600);
      await eventually(async () => (await store.setMembers('expiring')).length === 2);
      expect([...(await store.setMembers('expiring'))].sort()).toEqual(['long', 'renewed']);
      expect(await store.removeFromSet('expiring', 'short')).toBe(false);
    });

    test('the set itself expires with its last member', async () => {
      await store.addToSet('whole', 'a', 1);
      await eventually(async () => (await store.setMembers('whole')).length === 0);
      await store.addToSet('whole', 'b', 60);
      expect(await store.setMembers('whole')).toEqual(['b']);
    });

    test('50 concurrent adds all land; of 50 concurrent removals of one member exactly one succeeds', async () => {
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.addToSet('busy', `m${i}`, 60)));
      expect(await store.setMembers('busy')).toHaveLength(50);
      const removals = await Promise.all(Array.from({ length: 50 }, () => store.removeFromSet('busy', 'm7')));
      expect(removals.filter(Boolean)).toHaveLength(1);
      expect(await store.setMembers('busy')).toHaveLength(49);
    });

    test('ping reports a live store', async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}
