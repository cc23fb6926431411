import { FederationError } from '../../src/federation/federation-error.js';
import { ISSUER, INTERMEDIATE, RP, RP_PUBLIC, TA, resolverFor, standardFederation } from '../support/federation/standard-federation.js';
import type { TestFederation } from '../support/federation/test-federation.js';

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code ?? String(error));
const EC = '/.well-known/openid-federation';

/** Only the RP's and the anchor's configurations, and the trust-mark issuer's (configuration, status), may have been fetched. */
function expectNoDiscovery(federation: TestFederation): void {
  const allowed = [`${RP}${EC}`, `${TA}${EC}`, `${TA}/trust_mark_status`, `${ISSUER}${EC}`, `${ISSUER}/trust_mark_status`];
  expect(federation.urls().filter((url) => !allowed.includes(url))).toEqual([]);
  expect(federation.urls()).not.toContain(`${INTERMEDIATE}${EC}`);
}

async function underIntermediate(): Promise<TestFederation> {
  return standardFederation({ intermediate: true });
}

describe('trust marks: the anchor requires one before any discovery', () => {
  test('a revoked trust mark (final status form, signed status answer) → trust_mark_revoked, no discovery', async () => {
    const federation = await underIntermediate();
    federation.revoked.add(federation.entity(RP).trustMarks[0]!.trust_mark);
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('trust_mark_revoked');
    expect(federation.urls()).toEqual([`${RP}${EC}`, `${TA}${EC}`, `${TA}/trust_mark_status`]);
    expect(federation.calls[2]).toMatchObject({ method: 'POST', form: { trust_mark: federation.entity(RP).trustMarks[0]!.trust_mark } });
  });

  test('a revoked trust mark (legacy federation_status_endpoint, JSON {"active": false} to sub + id) → trust_mark_revoked', async () => {
    const federation = await underIntermediate();
    federation.entity(TA).statusForm = 'legacy';
    federation.revoked.add(federation.entity(RP).trustMarks[0]!.trust_mark);
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('trust_mark_revoked');
    expect(federation.calls.at(-1)).toMatchObject({ method: 'POST', form: { sub: RP, id: RP_PUBLIC } });
    expectNoDiscovery(federation);
  });

  test('a final-named status endpoint that only knows the legacy form is asked again in it', async () => {
    const federation = await underIntermediate();
    federation.overrides.set(`${TA}/trust_mark_status`, async ({ form }) => {
      if (form?.trust_mark) throw new FederationError('fetch_failed', 'HTTP 400', { status: 400 });
      return { contentType: 'application/json', body: JSON.stringify({ active: form?.sub === RP && form.id === RP_PUBLIC }) };
    });
    await expect(resolverFor(federation).resolver.resolve(RP)).resolves.toMatchObject({ trustAnchor: TA });
    expect(federation.calls.filter((call) => call.url === `${TA}/trust_mark_status`)).toHaveLength(2);
  });

  test('an expired trust mark → trust_mark_expired, no discovery', async () => {
    const federation = await underIntermediate();
    federation.entity(RP).trustMarks = [await federation.trustMark(TA, RP, RP_PUBLIC, { iat: federation.now - 7200, exp: federation.now - 3600 })];
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('trust_mark_expired');
    expectNoDiscovery(federation);
  });

  test('a trust mark from an issuer the anchor does not list → trust_mark_issuer_not_recognised, no discovery (not even the issuer)', async () => {
    const federation = await underIntermediate();
    const rogue = 'https://rogue.example';
    await federation.addEntity(rogue);
    federation.entity(RP).trustMarks = [await federation.trustMark(rogue, RP, RP_PUBLIC)];
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('trust_mark_issuer_not_recognised');
    expect(federation.urls()).toEqual([`${RP}${EC}`, `${TA}${EC}`]);
  });

  test('a trust mark about another entity → trust_mark_wrong_subject, no discovery', async () => {
    const federation = await underIntermediate();
    federation.entity(RP).trustMarks = [await federation.trustMark(TA, RP, RP_PUBLIC, { sub: 'https://other-rp.example' })];
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('trust_mark_wrong_subject');
    expectNoDiscovery(federation);
  });

  test('no trust mark of the required type → trust_mark_missing, only the RP and the anchor configurations fetched', async () => {
    const federation = await underIntermediate();
    federation.entity(RP).trustMarks = [await federation.trustMark(TA, RP, `${TA}/openid_relying_party/private/`)];
    expect(await codeOf(resolverFor(federation, { required: [RP_PUBLIC] }).resolver.resolve(RP))).toBe('trust_mark_missing');
    expect(federation.urls()).toEqual([`${RP}${EC}`, `${TA}${EC}`]);
  });

  test('a trust mark type matches exactly: without its trailing slash it is another type → trust_mark_missing', async () => {
    const federation = await underIntermediate();
    federation.entity(RP).trustMarks = [await federation.trustMark(TA, RP, RP_PUBLIC.replace(/\/$/, ''))];
    expect(await codeOf(resolverFor(federation, { required: [RP_PUBLIC] }).resolver.resolve(RP))).toBe('trust_mark_missing');
  });

  test('a trust mark whose signature does not verify with the issuer keys → trust_mark_invalid', async () => {
    const federation = await underIntermediate();
    const entry = federation.entity(RP).trustMarks[0]!;
    entry.trust_mark = `${entry.trust_mark.slice(0, -4)}AAAA`;
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('trust_mark_invalid');
    expectNoDiscovery(federation);
  });

  test('a trust mark from a listed issuer other than the anchor: its configuration and status are fetched BEFORE any discovery', async () => {
    const federation = await underIntermediate();
    await federation.addEntity(ISSUER);
    federation.entity(RP).trustMarks = [await federation.trustMark(ISSUER, RP, RP_PUBLIC)];
    const chain = await resolverFor(federation).resolver.resolve(RP);
    expect(chain.requiredTrustMark).toMatchObject({ issuer: ISSUER, type: RP_PUBLIC, subject: RP });
    expect(federation.urls().slice(0, 4)).toEqual([`${RP}${EC}`, `${TA}${EC}`, `${ISSUER}${EC}`, `${ISSUER}/trust_mark_status`]);
  });

  test.each(['id', 'trust_mark_id', 'trust_mark_type'] as const)('the trust mark type named %s (each draft’s name) is accepted', async (name) => {
    const federation = await underIntermediate();
    federation.entity(RP).trustMarks = [await federation.trustMark(TA, RP, RP_PUBLIC, {}, name)];
    await expect(resolverFor(federation).resolver.resolve(RP)).resolves.toMatchObject({ trustMarks: [expect.objectContaining({ type: RP_PUBLIC })] });
  });

  test('an anchor listing its issuers under the legacy trust_marks_issuers name', async () => {
    const federation = await underIntermediate();
    await federation.addEntity(ISSUER);
    federation.entity(TA).extraClaims = { trust_marks_issuers: { [RP_PUBLIC]: [ISSUER] } };
    federation.entity(RP).trustMarks = [await federation.trustMark(ISSUER, RP, RP_PUBLIC)];
    await expect(resolverFor(federation).resolver.resolve(RP)).resolves.toMatchObject({ trustAnchor: TA });
  });

  test('a status endpoint that does not answer → trust_mark_status_unavailable (fail closed)', async () => {
    const federation = await underIntermediate();
    federation.overrides.set(`${TA}/trust_mark_status`, async () => {
      throw new FederationError('fetch_timeout', 'no answer');
    });
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('trust_mark_status_unavailable');
    expectNoDiscovery(federation);
  });

  test('a status answer that does not verify with the issuer keys → trust_mark_status_unavailable', async () => {
    const federation = await underIntermediate();
    const genuine = federation.fetcher;
    federation.overrides.set(`${TA}/trust_mark_status`, async ({ form }) => {
      federation.overrides.delete(`${TA}/trust_mark_status`);
      const answer = await genuine(`${TA}/trust_mark_status`, { accept: '', method: 'POST', form: form ?? {} });
      const [header, , signature] = answer.body.split('.');
      const claims = Buffer.from(JSON.stringify({ iss: TA, iat: federation.now, status: 'active' })).toString('base64url');
      return { ...answer, body: `${header}.${claims}.${signature}` };
    });
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('trust_mark_status_unavailable');
  });

  test('an issuer that publishes no status endpoint: the trust mark stands on its signature and exp', async () => {
    const federation = await underIntermediate();
    federation.entity(TA).statusForm = 'none';
    await expect(resolverFor(federation).resolver.resolve(RP)).resolves.toMatchObject({ trustAnchor: TA });
    expect(federation.urls()).not.toContain(`${TA}/trust_mark_status`);
  });

  test('with several trust marks of the required type, one valid is enough', async () => {
    const federation = await underIntermediate();
    const revoked = await federation.trustMark(TA, RP, RP_PUBLIC, { jti: 'first' });
    federation.revoked.add(revoked.trust_mark);
    federation.entity(RP).trustMarks = [revoked, await federation.trustMark(TA, RP, RP_PUBLIC, { jti: 'second' })];
    const chain = await resolverFor(federation).resolver.resolve(RP);
    expect(chain.requiredTrustMark?.jwt).toBe(federation.entity(RP).trustMarks[1]!.trust_mark);
  });

  test('trust marks that are not required and do not verify are left out of the chain, not fatal', async () => {
    const federation = await underIntermediate();
    federation.entity(RP).trustMarks.push(await federation.trustMark(TA, 'https://other.example', `${TA}/openid_relying_party/private/`));
    const chain = await resolverFor(federation).resolver.resolve(RP);
    expect(chain.trustMarks.map((mark) => mark.type)).toEqual([RP_PUBLIC]);
  });

  test('the chain expires no later than its required trust mark', async () => {
    const federation = await underIntermediate();
    federation.entity(RP).trustMarks = [await federation.trustMark(TA, RP, RP_PUBLIC, { exp: federation.now + 120 })];
    expect((await resolverFor(federation).resolver.resolve(RP)).exp).toBe(federation.now + 120);
  });
});
