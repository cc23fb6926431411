import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { captureLogs } from '../support/captured-logs.js';
import { createProvider } from '../../src/oidc/provider.js';
import { loadProviderKeys } from '../../src/oidc/provider-keys.js';
import { authorizationRequest, authorize } from './support/request-object.js';
import { startProfileStack, type ProfileStack } from './support/profile-stack.js';

// Issue 13 item 11: request objects as real RPs shape them (the reference RPs in docs/references.md).
let stack: ProfileStack;
beforeAll(async () => {
  stack = await startProfileStack();
});
afterAll(async () => stack?.close());

const toInteraction = (outcome: { status: number; location?: URL }) => outcome.status === 303 && /^\/interaction\/[^/]+$/.test(outcome.location?.pathname ?? '');

test('aud as an array of the issuer and the authorization endpoint (DJANGO, NODE, PHP RPs) is accepted, the issuer with or without a trailing slash', async () => {
  const endpoint = `${stack.issuer}/auth`;
  for (const aud of [[stack.issuer, endpoint], [`${stack.issuer}/`, endpoint], `${stack.issuer}/`, [`${stack.issuer}/`]]) {
    expect(toInteraction(await authorize(await authorizationRequest(stack, stack.rp, { aud })))).toBe(true);
  }
});

test('aud with only the authorization endpoint, or another host\'s issuer spelling, is refused', async () => {
  expect((await authorize(await authorizationRequest(stack, stack.rp, { aud: [`${stack.issuer}/auth`] }))).error).toBe('invalid_request_object');
  expect((await authorize(await authorizationRequest(stack, stack.rp, { aud: [`${stack.issuer}//`] }))).error).toBe('invalid_request_object');
});

/** GET with another Host header (fetch does not let one set it): the status and the Location, if any. */
function getWithHost(url: URL, host: string): Promise<{ status: number; location?: URL }> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { headers: { host } }, (response) => {
      response.resume();
      const location = response.headers.location;
      resolve({ status: response.statusCode!, ...(location ? { location: new URL(location, url) } : {}) });
    });
    sent.on('error', reject).end();
  });
}

test('the authorization endpoint accepted in aud is the issuer\'s, whatever the Host header says', async () => {
  // A foreign name never reaches the rule (421, oidc/issuer-host.ts); a loopback spelling of the host is
  // served, pinned to the issuer: the rule must not take the Host's spelling of the endpoint either.
  expect((await getWithHost(await authorizationRequest(stack, stack.rp), 'evil.example')).status).toBe(421);
  const forgedHost = `127.0.0.1:${new URL(stack.issuer).port}`;
  const underForgedHost = await getWithHost(await authorizationRequest(stack, stack.rp, { aud: [stack.issuer, `http://${forgedHost}/auth`] }), forgedHost);
  expect(underForgedHost.status).toBe(303);
  expect(underForgedHost.location!.href.startsWith(stack.rp.redirectUri)).toBe(true);
  expect(underForgedHost.location!.searchParams.get('error')).toBe('invalid_request_object');
  expect(toInteraction(await getWithHost(await authorizationRequest(stack, stack.rp, { aud: [stack.issuer, `${stack.issuer}/auth`] }), forgedHost))).toBe(true);
});

test('a jti that is not a non-empty string is refused, never replaced by the nonce', async () => {
  // Another type is refused by the library's own JWT check, before the signature: the 400 page.
  for (const jti of [123, true, ['a']]) {
    const outcome = await authorize(await authorizationRequest(stack, stack.rp, { jti }));
    expect(outcome).toMatchObject({ status: 400, error: 'invalid_request_object' });
    expect(outcome.location).toBeUndefined();
  }
  // An empty one is ours to refuse once the signature verified: redirected with state, as other rules.
  const state = 'S'.repeat(40);
  const empty = await authorize(await authorizationRequest(stack, stack.rp, { jti: '', state }));
  expect(empty).toMatchObject({ status: 303, error: 'invalid_request_object' });
  expect(empty.response!.get('state')).toBe(state);
  expect(empty.response!.get('error_description')).toBe('request object jti must be a non-empty string');
});

describe('legacy_request_objects client metadata', () => {
  let logs: ReturnType<typeof captureLogs>;
  // The relaxation's log lines (a warning each), as the logger wrote them.
  const relaxations = () => logs.lines.filter((line) => line.event === 'legacy_request_object_accepted');
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  test('by default a request object without exp or without jti is refused', async () => {
    expect((await authorize(await authorizationRequest(stack, stack.rp, { exp: undefined }))).error).toBe('invalid_request_object');
    expect((await authorize(await authorizationRequest(stack, stack.rp, { jti: undefined }))).error).toBe('invalid_request_object');
    expect(relaxations()).toEqual([]);
  });

  test('a client registered with it may omit exp and jti (the italia Node RP); each relaxation is logged with the client id', async () => {
    const url = await authorizationRequest(stack, stack.legacyRp, { exp: undefined, jti: undefined });
    expect(toInteraction(await authorize(url))).toBe(true);
    const lines = relaxations();
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', event: 'legacy_request_object_accepted', client_id: stack.legacyRp.clientId, missing: ['exp', 'jti'] })]);
    expect(logs.raw.join('\n')).not.toContain(url.searchParams.get('request')!.split('.')[1]);
  });

  test('it still needs iat, and a request object with exp is held to the same rules as anyone\'s', async () => {
    expect((await authorize(await authorizationRequest(stack, stack.legacyRp, { exp: undefined, iat: undefined }))).error).toBe('invalid_request_object');
    const now = Math.floor(Date.now() / 1000);
    expect((await authorize(await authorizationRequest(stack, stack.legacyRp, { iat: now, exp: now + 3600 }))).error).toBe('invalid_request_object');
    expect(toInteraction(await authorize(await authorizationRequest(stack, stack.legacyRp)))).toBe(true);
    expect(relaxations()).toEqual([]);
  });

  test('the setting must be a boolean', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cie-legacy-'));
    try {
      const provider = createProvider({
        issuer: 'http://localhost:1',
        keys: await loadProviderKeys(dir, true),
        clients: [{ ...stack.legacyRp.metadata, legacy_request_objects: 'yes' } as never],
        accounts: undefined as never,
        clockToleranceSeconds: 5,
        sessionTtlSeconds: 60,
        renderError: async () => undefined,
      });
      await expect(provider.Client.find(stack.legacyRp.clientId)).rejects.toMatchObject({ error: 'invalid_client_metadata', error_description: 'legacy_request_objects must be a boolean' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
