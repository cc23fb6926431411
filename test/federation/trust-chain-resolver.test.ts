import { decodeUnverified } from '../../src/federation/statement-verification.js';
import { INTERMEDIATE, RP, RP_PUBLIC, TA, resolverFor, standardFederation } from '../support/federation/standard-federation.js';
import { tamperSignature, testKey } from '../support/federation/test-federation.js';

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code ?? String(error));

describe('trust chain resolution', () => {
  test('a chain with an intermediate: statements in trust_chain order, policies of both superiors applied, exp the smallest', async () => {
    const federation = await standardFederation({ intermediate: true });
    federation.subordinates.get(`${TA} ${INTERMEDIATE}`)!.extraClaims.exp = federation.now + 600;
    const { resolver, logs } = resolverFor(federation);

    const chain = await resolver.resolve(RP);

    expect(chain.trustAnchor).toBe(TA);
    expect(chain.statements.map((jwt) => decodeUnverified(jwt).claims).map(({ iss, sub }) => [iss, sub])).toEqual([
      [RP, RP],
      [INTERMEDIATE, RP],
      [TA, INTERMEDIATE],
      [TA, TA],
    ]);
    expect(chain.metadata.openid_relying_party).toMatchObject({ response_types: ['code'], grant_types: ['authorization_code', 'refresh_token'], contacts: ['ops@intermediate.example'] });
    expect(chain.exp).toBe(federation.now + 600);
    expect(chain.trustMarks.map((mark) => mark.type)).toEqual([RP_PUBLIC]);
    expect(logs).toEqual([expect.objectContaining({ event: 'federation_trust_chain_resolution', subject: RP, trust_anchor: TA, outcome: 'ok' })]);
    expect(JSON.stringify(logs)).not.toMatch(/eyJ|"kty"/);
  });

  test('a chain directly under the anchor', async () => {
    const federation = await standardFederation();
    const chain = await resolverFor(federation).resolver.resolve(RP, { trustAnchor: TA, entityType: 'openid_relying_party' });
    expect(chain.statements).toHaveLength(3);
    expect(chain.metadata.openid_relying_party?.response_types).toEqual(['code']);
  });

  test('a tampered subordinate statement → statement_bad_signature', async () => {
    const federation = await standardFederation({ intermediate: true });
    const url = `${INTERMEDIATE}/fetch?sub=${encodeURIComponent(RP)}`;
    const genuine = await federation.subordinateStatement(INTERMEDIATE, RP, federation.subordinates.get(`${INTERMEDIATE} ${RP}`)!);
    federation.overrides.set(url, async () => ({ contentType: 'application/entity-statement+jwt', body: tamperSignature(genuine) }));
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('statement_bad_signature');
  });

  test('a superior whose federation_fetch_endpoint is not a URL → statement_malformed (a federation refusal, not an internal error)', async () => {
    const federation = await standardFederation({ intermediate: true });
    federation.entity(INTERMEDIATE).metadata.federation_entity = { federation_fetch_endpoint: 'not a url' };
    const { resolver, logs } = resolverFor(federation);
    expect(await codeOf(resolver.resolve(RP))).toBe('statement_malformed');
    expect(logs).toEqual([expect.objectContaining({ event: 'federation_trust_chain_resolution', outcome: 'statement_malformed' })]);
  });

  test('a tampered leaf entity configuration → statement_bad_signature', async () => {
    const federation = await standardFederation();
    const genuine = await federation.entityConfiguration(federation.entity(RP));
    federation.overrides.set(`${RP}/.well-known/openid-federation`, async () => ({ contentType: 'application/entity-statement+jwt', body: tamperSignature(genuine) }));
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('statement_bad_signature');
  });

  test('an expired subordinate statement → statement_expired', async () => {
    const federation = await standardFederation({ intermediate: true });
    federation.subordinates.get(`${TA} ${INTERMEDIATE}`)!.extraClaims.exp = federation.now - 3600;
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('statement_expired');
  });

  test('a subordinate statement signed with a kid the superior does not publish → statement_unknown_kid', async () => {
    const federation = await standardFederation({ intermediate: true });
    federation.enroll(INTERMEDIATE, RP, { signWith: await testKey('stranger') });
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('statement_unknown_kid');
  });

  test('a subordinate statement with the wrong typ → statement_wrong_typ', async () => {
    const federation = await standardFederation({ intermediate: true });
    federation.enroll(INTERMEDIATE, RP, { typ: 'JWT' });
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('statement_wrong_typ');
  });

  test('an entity configuration with the wrong typ → statement_wrong_typ', async () => {
    const federation = await standardFederation();
    federation.entity(RP).typ = 'JWT';
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('statement_wrong_typ');
  });

  test('a subordinate statement without kid → statement_missing_kid', async () => {
    const federation = await standardFederation({ intermediate: true });
    federation.enroll(INTERMEDIATE, RP, { omitKid: true });
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('statement_missing_kid');
  });

  test('a subordinate statement whose jwks does not bind the key that signed the RP configuration → key_not_bound', async () => {
    const federation = await standardFederation({ intermediate: true });
    const other = await testKey('other');
    federation.enroll(INTERMEDIATE, RP, { jwks: { keys: [other.publicJwk] } });
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('key_not_bound');
  });

  test('a superior the RP does not list in authority_hints is never asked, even if it has a statement about the RP', async () => {
    const federation = await standardFederation({ intermediate: true });
    federation.entity(RP).authorityHints = ['https://unlisted-elsewhere.example'];
    federation.enroll(TA, RP);
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('fetch_failed');
    expect(federation.urls()).not.toContain(`${TA}/fetch?sub=${encodeURIComponent(RP)}`);
    expect(federation.urls()).not.toContain(`${INTERMEDIATE}/.well-known/openid-federation`);
  });

  test('a subordinate statement whose iss is not the superior asked → statement_wrong_issuer', async () => {
    const federation = await standardFederation({ intermediate: true });
    federation.subordinates.get(`${INTERMEDIATE} ${RP}`)!.extraClaims.iss = 'https://someone-else.example';
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('statement_wrong_issuer');
  });

  test('a subordinate statement about another subject → statement_wrong_subject', async () => {
    const federation = await standardFederation({ intermediate: true });
    federation.subordinates.get(`${INTERMEDIATE} ${RP}`)!.extraClaims.sub = 'https://someone-else.example';
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('statement_wrong_subject');
  });

  test('an authority_hints cycle ends: each superior is asked once', async () => {
    const federation = await standardFederation({ intermediate: true });
    const B = 'https://b.example';
    await federation.addEntity(B, { authorityHints: [INTERMEDIATE] });
    federation.entity(INTERMEDIATE).authorityHints = [B];
    federation.enroll(B, INTERMEDIATE);
    federation.enroll(INTERMEDIATE, B);
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('no_path_to_trust_anchor');
    const configurationFetches = federation.urls().filter((url) => url.endsWith('/.well-known/openid-federation'));
    expect(new Set(configurationFetches).size).toBe(configurationFetches.length);
  });

  test('at most maxAuthorityHints hints are followed per entity', async () => {
    const federation = await standardFederation();
    federation.entity(RP).authorityHints = ['https://one.example', 'https://two.example', TA];
    const outcome = await codeOf(resolverFor(federation, { limits: { resolveTimeoutMs: 5000, maxAuthorityHints: 2 } }).resolver.resolve(RP));
    expect(outcome).toBe('fetch_failed');
    expect(federation.urls()).not.toContain(`${TA}/fetch?sub=${encodeURIComponent(RP)}`);
    expect(await resolverFor(federation, { limits: { resolveTimeoutMs: 5000, maxAuthorityHints: 3 } }).resolver.resolve(RP)).toMatchObject({ trustAnchor: TA });
  });

  test('max_path_length exceeded → path_too_long', async () => {
    const federation = await standardFederation({ intermediate: true });
    federation.subordinates.get(`${TA} ${INTERMEDIATE}`)!.extraClaims.constraints = { max_path_length: 0 };
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('path_too_long');
  });

  test("max_path_length in the anchor's own entity configuration counts too", async () => {
    const federation = await standardFederation({ intermediate: true });
    federation.entity(TA).extraClaims.constraints = { max_path_length: 0 };
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('path_too_long');
  });

  test('anchor key rotation: the anchor adds a key in its configuration (signed with the configured key); statements signed with the new key resolve', async () => {
    const federation = await standardFederation({ intermediate: true });
    const configured = federation.anchorSetting(TA, [RP_PUBLIC]);
    const anchor = federation.entity(TA);
    const newKey = await testKey('ta-2');
    anchor.keys = [...anchor.keys, newKey];
    federation.enroll(TA, INTERMEDIATE, { ...federation.subordinates.get(`${TA} ${INTERMEDIATE}`)!, signWith: newKey });
    const chain = await resolverFor(federation, { anchors: [configured] }).resolver.resolve(RP);
    expect(decodeUnverified(chain.statements[2]!).header.kid).toBe('ta-2');
  });

  test('anchor key rotation: an anchor configuration signed only by a key the operator did not configure → statement_unknown_kid', async () => {
    const federation = await standardFederation({ intermediate: true });
    const configured = federation.anchorSetting(TA, [RP_PUBLIC]);
    const anchor = federation.entity(TA);
    const impostor = await testKey('ta-impostor');
    anchor.keys = [impostor];
    anchor.signWith = impostor;
    expect(await codeOf(resolverFor(federation, { anchors: [configured] }).resolver.resolve(RP))).toBe('statement_unknown_kid');
  });

  test('an unknown trust anchor → no_trust_anchor, nothing fetched', async () => {
    const federation = await standardFederation();
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP, { trustAnchor: 'https://other-ta.example' }))).toBe('no_trust_anchor');
    expect(federation.calls).toEqual([]);
  });

  test('a resolution slower than resolveTimeoutMs → resolve_timeout', async () => {
    const federation = await standardFederation({ intermediate: true });
    federation.overrides.set(`${INTERMEDIATE}/.well-known/openid-federation`, () => new Promise(() => undefined));
    const { resolver, logs } = resolverFor(federation, { limits: { resolveTimeoutMs: 200, maxAuthorityHints: 2 } });
    expect(await codeOf(resolver.resolve(RP))).toBe('resolve_timeout');
    expect(logs[0]).toMatchObject({ outcome: 'resolve_timeout' });
  });

  test('an RP entity configuration whose sub is not the entity asked about → statement_wrong_subject', async () => {
    const federation = await standardFederation();
    federation.entity(RP).extraClaims = { sub: 'https://someone-else.example' };
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP))).toBe('statement_wrong_subject');
  });

  test('an entity type the chain does not give the subject → entity_type_not_allowed', async () => {
    const federation = await standardFederation();
    expect(await codeOf(resolverFor(federation).resolver.resolve(RP, { entityType: 'openid_provider' }))).toBe('entity_type_not_allowed');
  });

  test('several configured anchors: the chain is built under the one the RP reaches; a bad signature under it is reported rather than "no path" under the other', async () => {
    const federation = await standardFederation();
    const other = 'https://other-ta.example';
    await federation.addEntity(other);
    const anchors = [federation.anchorSetting(other), federation.anchorSetting(TA, [RP_PUBLIC])];
    await expect(resolverFor(federation, { anchors }).resolver.resolve(RP)).resolves.toMatchObject({ trustAnchor: TA });

    const genuine = await federation.subordinateStatement(TA, RP, federation.subordinates.get(`${TA} ${RP}`)!);
    federation.overrides.set(`${TA}/fetch?sub=${encodeURIComponent(RP)}`, async () => ({ contentType: 'application/entity-statement+jwt', body: tamperSignature(genuine) }));
    expect(await codeOf(resolverFor(federation, { anchors }).resolver.resolve(RP))).toBe('statement_bad_signature');
  });
});
