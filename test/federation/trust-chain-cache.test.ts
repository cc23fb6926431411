import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DisabledEntities } from '../../src/federation/disabled-entities.js';
import { FederationError } from '../../src/federation/federation-error.js';
import { NEGATIVE_TTL_SECONDS, TRANSIENT_NEGATIVE_TTL_SECONDS, TrustChainCache, type ChainResolver } from '../../src/federation/trust-chain-cache.js';
import type { TrustChain } from '../../src/federation/trust-chain-resolver.js';
import { INTERMEDIATE, RP, TA, resolverFor, standardFederation } from '../support/federation/standard-federation.js';
import type { TestFederation } from '../support/federation/test-federation.js';

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code ?? String(error));

/** The real resolver over the in-memory federation, counting resolutions and keeping their promises. */
function countingResolver(federation: TestFederation): ChainResolver & { resolutions: Promise<TrustChain>[] } {
  const { resolver } = resolverFor(federation);
  const resolutions: Promise<TrustChain>[] = [];
  return {
    resolutions,
    resolve(subject, options) {
      const resolution = resolver.resolve(subject, options);
      resolutions.push(resolution);
      return resolution;
    },
    recheckTrustMarks: (chain) => resolver.recheckTrustMarks(chain),
  };
}

async function cacheOver(options: { chainMaxAgeSeconds?: number; trustMarkStatusIntervalSeconds?: number; maxEntries?: number; disabled?: { has(id: string): boolean } } = {}) {
  const federation = await standardFederation({ intermediate: true });
  federation.lifetime = 1000;
  const resolver = countingResolver(federation);
  const cache = new TrustChainCache({ resolver, chainMaxAgeSeconds: options.chainMaxAgeSeconds ?? 86_400, trustMarkStatusIntervalSeconds: options.trustMarkStatusIntervalSeconds ?? 300, now: () => federation.now, ...options });
  return { federation, resolver, cache };
}

describe('trust chain cache', () => {
  test('cache expiry and refresh: reused while fresh, refreshed in the background with 20 % of its life left (the cached chain served meanwhile), resolved again after expiry', async () => {
    const { federation, resolver, cache } = await cacheOver({ trustMarkStatusIntervalSeconds: 86_400 });
    const first = await cache.get(RP);
    expect(first.exp - first.resolvedAt).toBe(1000);

    federation.now += 700;
    expect(await cache.get(RP)).toBe(first);
    expect(resolver.resolutions).toHaveLength(1);

    federation.now += 150; // 850 s of 1000: less than 20 % left
    expect(await cache.get(RP)).toBe(first);
    expect(resolver.resolutions).toHaveLength(2);
    const refreshed = await resolver.resolutions[1]!;
    expect(await cache.get(RP)).toBe(refreshed);
    expect(refreshed.resolvedAt).toBe(first.resolvedAt + 850);

    federation.now += 1001; // past the refreshed chain's exp
    const third = await cache.get(RP);
    expect(third).not.toBe(refreshed);
    expect(resolver.resolutions).toHaveLength(3);
  });

  test('chainMaxAge bounds a chain whose statements live longer', async () => {
    const { federation, resolver, cache } = await cacheOver({ chainMaxAgeSeconds: 100, trustMarkStatusIntervalSeconds: 86_400 });
    await cache.get(RP);
    federation.now += 101;
    await cache.get(RP);
    expect(resolver.resolutions).toHaveLength(2);
  });

  test('single flight: N concurrent gets → one resolution, all get the same chain', async () => {
    const { resolver, cache } = await cacheOver();
    const chains = await Promise.all(Array.from({ length: 20 }, () => cache.get(RP)));
    expect(resolver.resolutions).toHaveLength(1);
    expect(new Set(chains).size).toBe(1);
  });

  test('a failed resolution is answered from memory for the negative TTL, then tried again', async () => {
    const { federation, resolver, cache } = await cacheOver();
    federation.enroll(INTERMEDIATE, RP, { typ: 'JWT' });
    expect(await codeOf(cache.get(RP))).toBe('statement_wrong_typ');
    expect(await codeOf(cache.get(RP))).toBe('statement_wrong_typ');
    expect(resolver.resolutions).toHaveLength(1);

    federation.enroll(INTERMEDIATE, RP);
    federation.now += NEGATIVE_TTL_SECONDS;
    await expect(cache.get(RP)).resolves.toMatchObject({ subject: RP });
    expect(resolver.resolutions).toHaveLength(2);
  });

  test('a failure of the network (timeout) is remembered only for the short transient TTL: one lost answer does not keep the RP out for a minute', async () => {
    const { federation, resolver, cache } = await cacheOver();
    const leafUrl = `${RP}/.well-known/openid-federation`;
    federation.overrides.set(leafUrl, () => Promise.reject(new FederationError('fetch_timeout', 'no answer', { url: leafUrl })));
    expect(await codeOf(cache.get(RP))).toBe('fetch_timeout');
    expect(await codeOf(cache.get(RP))).toBe('fetch_timeout'); // still remembered: a loop of requests costs no resolution each
    expect(resolver.resolutions).toHaveLength(1);

    federation.overrides.delete(leafUrl);
    expect(TRANSIENT_NEGATIVE_TTL_SECONDS).toBeLessThan(NEGATIVE_TTL_SECONDS / 4);
    federation.now += TRANSIENT_NEGATIVE_TTL_SECONDS;
    await expect(cache.get(RP)).resolves.toMatchObject({ subject: RP });
    expect(resolver.resolutions).toHaveLength(2);
  });

  test('a revoked trust mark stops new logins within trustMarkStatusIntervalSeconds, and the chain is dropped', async () => {
    const { federation, resolver, cache } = await cacheOver({ trustMarkStatusIntervalSeconds: 300 });
    await cache.get(RP);
    federation.revoked.add(federation.entity(RP).trustMarks[0]!.trust_mark);

    federation.now += 200; // inside the interval: the status answered at resolution is reused
    await expect(cache.get(RP)).resolves.toMatchObject({ subject: RP });

    federation.now += 100; // the interval has passed: asked again
    expect(await codeOf(cache.get(RP))).toBe('trust_mark_revoked');
    expect(cache.cached(RP)).toBeUndefined();
    const fetches = federation.calls.length;
    expect(await codeOf(cache.get(RP))).toBe('trust_mark_revoked'); // negative cache: nothing fetched
    expect(federation.calls).toHaveLength(fetches);
    expect(resolver.resolutions).toHaveLength(1);
  });

  test('a status ask that fails on the network does not refuse logins while the last active answer is under two intervals old; past that, fail closed', async () => {
    const { federation, cache } = await cacheOver({ trustMarkStatusIntervalSeconds: 300 });
    const first = await cache.get(RP);
    const statusUrl = `${TA}/trust_mark_status`;
    const asks = () => federation.urls().filter((url) => url === statusUrl).length;
    federation.overrides.set(statusUrl, () => Promise.reject(new FederationError('fetch_timeout', 'no answer', { url: statusUrl })));

    federation.now += 300; // due: the ask times out, the last active answer (300 s old) stands
    const before = asks();
    expect(await Promise.all([cache.get(RP), cache.get(RP), cache.get(RP)])).toEqual([first, first, first]);
    expect(asks()).toBe(before + 1);
    expect(await cache.get(RP)).toBe(first); // not asked again at once
    expect(asks()).toBe(before + 1);

    federation.now += 299; // 599 s since the last active answer: asked again, still unanswered, still within the grace
    expect(await cache.get(RP)).toBe(first);
    expect(asks()).toBe(before + 2);

    federation.now += 1; // two intervals without an answer: refused
    expect(await codeOf(cache.get(RP))).toBe('trust_mark_status_unavailable');

    federation.overrides.delete(statusUrl); // the issuer answers again: active, the chain is used again
    await expect(cache.get(RP)).resolves.toBe(first);
  });

  test('an active trust mark is asked about at most once per interval', async () => {
    const { federation, cache } = await cacheOver({ trustMarkStatusIntervalSeconds: 300 });
    await cache.get(RP);
    const statusAsks = () => federation.urls().filter((url) => url === `${TA}/trust_mark_status`).length;
    federation.now += 300;
    await Promise.all([cache.get(RP), cache.get(RP), cache.get(RP)]);
    await cache.get(RP);
    expect(statusAsks()).toBe(2);
  });

  test('a disabled entity → entity_disabled before anything is fetched; the file is re-read when it changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'disabled-'));
    const file = join(dir, 'disabled.txt');
    writeFileSync(file, '# nobody yet\n');
    const disabled = new DisabledEntities(file);
    const { federation, cache } = await cacheOver({ disabled });
    await cache.get(RP);

    writeFileSync(file, `# disabled after a complaint\n${RP}/\n`);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const fetches = federation.calls.length;
    expect(await codeOf(cache.get(RP))).toBe('entity_disabled');
    expect(cache.cached(RP)).toBeUndefined();
    expect(federation.calls).toHaveLength(fetches);

    writeFileSync(file, '');
    utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    await expect(cache.get(RP)).resolves.toMatchObject({ subject: RP });
  });

  test('a network failure of the background refresh keeps the cached chain until its expiry', async () => {
    const { federation, resolver, cache } = await cacheOver({ trustMarkStatusIntervalSeconds: 86_400 });
    const first = await cache.get(RP);
    federation.overrides.set(`${INTERMEDIATE}/.well-known/openid-federation`, async () => {
      throw new FederationError('fetch_timeout', 'no answer');
    });
    federation.now += 900;
    expect(await cache.get(RP)).toBe(first);
    await expect(resolver.resolutions[1]).rejects.toMatchObject({ code: 'fetch_timeout' });
    expect(await cache.get(RP)).toBe(first);
  });

  test('a refresh that finds the chain broken (not the network) drops the cached chain', async () => {
    const { federation, resolver, cache } = await cacheOver({ trustMarkStatusIntervalSeconds: 86_400 });
    await cache.get(RP);
    federation.enroll(INTERMEDIATE, RP, { typ: 'JWT' });
    federation.now += 900;
    await cache.get(RP);
    await expect(resolver.resolutions[1]).rejects.toMatchObject({ code: 'statement_wrong_typ' });
    expect(await codeOf(cache.get(RP))).toBe('statement_wrong_typ');
  });

  test('the number of cached chains is bounded (oldest evicted first)', async () => {
    const { federation, cache } = await cacheOver({ maxEntries: 1 });
    const other = 'https://rp2.example';
    await federation.addEntity(other, { authorityHints: [INTERMEDIATE], metadata: federation.entity(RP).metadata, trustMarks: [await federation.trustMark(TA, other, federation.anchorSetting(TA).entityId + '/openid_relying_party/public/')] });
    federation.enroll(INTERMEDIATE, other);
    await cache.get(RP);
    await cache.get(other);
    expect(cache.cached(other)).toBeDefined();
    expect(cache.cached(RP)).toBeUndefined();
  });

  test('cached() answers without fetching, for any anchor or the one the chain was resolved under', async () => {
    const { federation, cache } = await cacheOver();
    expect(cache.cached(RP)).toBeUndefined();
    expect(federation.calls).toEqual([]);
    const chain = await cache.get(RP);
    expect(cache.cached(RP)).toBe(chain);
    expect(cache.cached(RP, TA)).toBe(chain);
    expect(cache.cached(RP, 'https://other-ta.example')).toBeUndefined();
  });
});

describe('trust chain cache under a flood of distinct RPs', () => {
  test('at most maxConcurrentResolutions resolutions run at once; the others → resolver_busy, not remembered', async () => {
    const pending: (() => void)[] = [];
    const resolver: ChainResolver = {
      resolve: (subject) => new Promise((resolve) => pending.push(() => resolve({ subject, trustAnchor: TA, statements: [], metadata: {}, trustMarks: [], exp: 2_000_000_000, resolvedAt: 1_000_000_000 }))),
      recheckTrustMarks: async () => undefined,
    };
    const cache = new TrustChainCache({ resolver, chainMaxAgeSeconds: 600, trustMarkStatusIntervalSeconds: 300, maxConcurrentResolutions: 2, now: () => 1_000_000_000 });
    const first = cache.get('https://a.example');
    const second = cache.get('https://b.example');
    expect(await codeOf(cache.get('https://c.example'))).toBe('resolver_busy');
    pending.forEach((release) => release());
    await Promise.all([first, second]);
    const third = cache.get('https://c.example');
    pending.at(-1)!();
    await expect(third).resolves.toMatchObject({ subject: 'https://c.example' });
  });
});
