import type { AdapterFactory } from 'oidc-provider';
import { createMemoryAdapterFactory } from '../../src/storage/adapters/memory-adapter.js';
import { memoryFootprint } from '../support/stored-footprint.js';
import { describeAdapterContract } from './adapter-contract.js';

describeAdapterContract('memory', async () => {
  let factory: AdapterFactory | undefined;
  return {
    create: (options) => (factory = createMemoryAdapterFactory(options)),
    footprint: () => memoryFootprint(factory!),
    close: async () => {},
  };
});

describe('memory adapter specifics', () => {
  test('keeps an entry expiresIn + clockTolerance seconds, then drops it and its indexes', async () => {
    let now = 1_000_000;
    const adapters = createMemoryAdapterFactory({ clockToleranceSeconds: 30, now: () => now });
    await adapters('Session').upsert('s', { jti: 's', uid: 'u' }, 60);
    now += 89_000;
    expect(await adapters('Session').findByUid('u')).toMatchObject({ jti: 's' });
    now += 2_000;
    expect(await adapters('Session').findByUid('u')).toBeUndefined();
    expect(await adapters('Session').find('s')).toBeUndefined();
  });

  test('has no entry cap: 5000 live sessions all stay findable (the library adapter keeps 1000)', async () => {
    const sessions = createMemoryAdapterFactory({ clockToleranceSeconds: 0 })('Session');
    for (let i = 0; i < 5000; i += 1) await sessions.upsert(`s${i}`, { jti: `s${i}`, uid: `u${i}` }, 600);
    expect(await sessions.find('s0')).toMatchObject({ uid: 'u0' });
    expect(await sessions.findByUid('u4999')).toMatchObject({ jti: 's4999' });
  });

  test('entries without expiresIn survive any amount of time', async () => {
    let now = 0;
    const grants = createMemoryAdapterFactory({ clockToleranceSeconds: 0, now: () => now })('Grant');
    await grants.upsert('g', { jti: 'g' });
    now += 10 * 365 * 86_400_000;
    await grants.upsert('other', { jti: 'other' }, 1); // a write triggers the sweep
    expect(await grants.find('g')).toEqual({ jti: 'g' });
  });
});
