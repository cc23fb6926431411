import Provider from 'oidc-provider';
import type { Client } from 'oidc-provider';
import { SignJWT } from 'jose';
import request from 'supertest';
import { adapterBackends, type AdapterUnderTest } from '../support/adapter-backends.js';
import { applySingleInsertReplayDetection } from '../../src/oidc/replay-detection.js';
import { DEFAULT_CLIENT_ASSERTION_MAX_LIFETIME, DEFAULT_REQUEST_OBJECT_MAX_LIFETIME, replayTtlCap } from '../../src/oidc/jwt-time-limits.js';

const REDIRECT_URI = 'https://rp.example/cb';
const CLIENT_SECRET = 'a-client-secret-long-enough-for-hs256-0123456789';

describe.each(adapterBackends)('the %s adapter under a real oidc-provider', (_label, open) => {
  let backend: AdapterUnderTest;
  let provider: Provider;

  beforeAll(async () => {
    backend = await open();
    provider = new Provider('http://localhost:3000', {
      adapter: backend.adapter,
      clients: [
        {
          client_id: 'rp',
          client_secret: CLIENT_SECRET,
          redirect_uris: [REDIRECT_URI],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
        {
          client_id: 'jwt-rp',
          client_secret: CLIENT_SECRET,
          token_endpoint_auth_method: 'client_secret_jwt',
          token_endpoint_auth_signing_alg: 'HS256',
          redirect_uris: [REDIRECT_URI],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
      features: { devInteractions: { enabled: false } },
      findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    });
    // As createProvider does: ReplayDetection.unique is one insert-if-absent.
    applySingleInsertReplayDetection(provider, replayTtlCap({ requestObjectMaxLifetime: DEFAULT_REQUEST_OBJECT_MAX_LIFETIME, clientAssertionMaxLifetime: DEFAULT_CLIENT_ASSERTION_MAX_LIFETIME, clockTolerance: 5 }));
  });
  afterAll(async () => {
    await backend.close();
  });

  async function registeredClient(): Promise<Client> {
    const found = await provider.Client.find('rp');
    if (!found) throw new Error('client rp is not configured');
    return found;
  }

  async function newGrant(): Promise<string> {
    const grant = new provider.Grant({ accountId: 'account-1', clientId: 'rp' });
    grant.addOIDCScope('openid');
    return grant.save();
  }

  test('Session: saved by the model, found by id and by uid', async () => {
    const session = new provider.Session();
    session.loginAccount({ accountId: 'account-1' });
    await session.save(600);
    expect((await provider.Session.find(session.jti))?.accountId).toBe('account-1');
    expect((await provider.Session.findByUid(session.uid))?.jti).toBe(session.jti);
  });

  test('AccessToken: saved, found by its value, removed with its grant', async () => {
    const client = await registeredClient();
    const grantId = await newGrant();
    const token = new provider.AccessToken({ accountId: 'account-1', client, grantId, gty: 'authorization_code', scope: 'openid' });
    const value = await token.save();
    expect((await provider.AccessToken.find(value))?.accountId).toBe('account-1');
    await provider.AccessToken.revokeByGrantId(grantId);
    expect(await provider.AccessToken.find(value)).toBeUndefined();
  });

  test('ReplayDetection.unique accepts a jti once', async () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    expect(await provider.ReplayDetection.unique('rp', 'jti-1', exp)).toBe(true);
    expect(await provider.ReplayDetection.unique('rp', 'jti-1', exp)).toBe(false);
  });

  test('ReplayDetection.unique with an exp that is not a finite number still keeps the jti (for the cap)', async () => {
    for (const [jti, exp] of [['jti-nan', Number.NaN], ['jti-infinite', Number.POSITIVE_INFINITY]] as const) {
      expect(await provider.ReplayDetection.unique('rp', jti, exp)).toBe(true);
      expect(await provider.ReplayDetection.unique('rp', jti, exp)).toBe(false);
    }
  });

  test('ReplayDetection.unique called concurrently with one jti is true exactly once', async () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    const results = await Promise.all(Array.from({ length: 20 }, () => provider.ReplayDetection.unique('rp', 'jti-concurrent', exp)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  test('two concurrent redemptions of one code at /token: one 200, one 400 invalid_grant', async () => {
    const client = await registeredClient();
    const grantId = await newGrant();
    const code = new provider.AuthorizationCode({
      accountId: 'account-1',
      client,
      grantId,
      gty: 'authorization_code',
      redirectUri: REDIRECT_URI,
      scope: 'openid',
      authTime: Math.floor(Date.now() / 1000),
    });
    const value = await code.save();
    const redeem = () =>
      request(provider.callback())
        .post('/token')
        .auth('rp', CLIENT_SECRET)
        .type('form')
        .send({ grant_type: 'authorization_code', code: value, redirect_uri: REDIRECT_URI });
    const responses = await Promise.all([redeem(), redeem()]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(responses.find((r) => r.status === 400)?.body).toMatchObject({ error: 'invalid_grant' });
    expect(responses.find((r) => r.status === 200)?.body).toMatchObject({ token_type: 'Bearer', id_token: expect.any(String) });
  });

  test('a client assertion replayed concurrently is rejected as 401 invalid_client', async () => {
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('jwt-rp')
      .setSubject('jwt-rp')
      .setAudience('http://localhost:3000')
      .setJti('assertion-jti-1')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(CLIENT_SECRET));
    const authenticate = () =>
      request(provider.callback()).post('/token').type('form').send({
        grant_type: 'authorization_code',
        code: 'unknown-code',
        redirect_uri: REDIRECT_URI,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      });
    const responses = await Promise.all(Array.from({ length: 10 }, authenticate));
    // Exactly one request gets past client authentication (and then fails on the unknown code).
    expect(responses.filter((r) => r.status === 400).map((r) => r.body.error)).toEqual(['invalid_grant']);
    const replays = responses.filter((r) => r.status !== 400);
    expect(replays).toHaveLength(9);
    for (const replay of replays) expect([replay.status, replay.body.error]).toEqual([401, 'invalid_client']);
  });
});
