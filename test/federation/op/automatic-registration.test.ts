import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { captureLogs } from '../../support/captured-logs.js';
import { loadRelyingPartyKeys } from '../../../src/demo-rp/rp-keys.js';
import { RP, TA } from '../../support/federation/standard-federation.js';
import { tamperSignature } from '../../support/federation/test-federation.js';
import { authorize, federatedAuthorizationUrl } from './support/federated-request.js';
import { startOpStack, type OpStack } from './support/op-stack.js';

const toInteraction = (answer: { status: number; location: string | null }) => answer.status === 303 && /^\/interaction\/[^/]+$/.test(new URL(answer.location ?? '/', 'http://x').pathname);

describe('automatic registration', () => {
  let stack: OpStack;
  beforeAll(async () => {
    stack = await startOpStack();
  });
  afterAll(async () => stack?.close());

  test('an RP known only through its trust chain reaches the login page, named by its metadata', async () => {
    const answer = await authorize(await federatedAuthorizationUrl(stack.issuer, stack.rp));
    expect(toInteraction(answer)).toBe(true);
    const login = await fetch(new URL(answer.location!, stack.issuer), { headers: { cookie: answer.cookies } });
    expect(login.status).toBe(200);
    const page = await login.text();
    expect(page).toContain('entra_con_cie.svg');
    expect(page).toContain('Test RP');
    const federationFetches = stack.federation.urls();
    expect(federationFetches).toContain(`${RP}/.well-known/openid-federation`);
    expect(federationFetches).toContain(`${TA}/fetch?sub=${encodeURIComponent(RP)}`);
    const client = await stack.app.provider.Client.find(RP);
    expect(client?.metadata()).toMatchObject({ client_id: RP, client_name: 'Test RP', token_endpoint_auth_method: 'private_key_jwt', subject_type: 'pairwise', userinfo_signed_response_alg: 'RS256', userinfo_encrypted_response_alg: 'RSA-OAEP', userinfo_encrypted_response_enc: 'A256CBC-HS512', response_types: ['code'] });
  });

  test('the chain is resolved once: later requests and lookups use the cache', async () => {
    const before = stack.federation.calls.length;
    for (let i = 0; i < 3; i += 1) expect(toInteraction(await authorize(await federatedAuthorizationUrl(stack.issuer, stack.rp)))).toBe(true);
    expect(stack.federation.calls.length).toBe(before);
  });

  test('static clients keep working beside federated ones, and are never looked up in the federation', async () => {
    const before = stack.federation.calls.length;
    expect(toInteraction(await authorize(await federatedAuthorizationUrl(stack.issuer, stack.staticRp)))).toBe(true);
    expect(stack.federation.calls.length).toBe(before);
  });

  test('a client_id that is not an entity id is not resolved: invalid_client page, nothing fetched', async () => {
    const before = stack.federation.calls.length;
    for (const clientId of ['not-a-url', 'http://rp.example', 'https://rp.example/?q=1', 'ftp://rp.example']) {
      const answer = await authorize(await federatedAuthorizationUrl(stack.issuer, { ...stack.rp, clientId }));
      expect(answer).toMatchObject({ status: 400, location: null });
      expect(answer.body).toContain('data-code="invalid_client"');
    }
    expect(stack.federation.calls.length).toBe(before);
  });

  test('the request object must verify with the jwks of the resolved metadata: another key of the RP\'s is refused', async () => {
    const impostor = await loadRelyingPartyKeys(join(stack.dir, 'impostor.json'));
    const forged = { ...stack.rp, keys: { ...impostor, signing: { ...impostor.signing, kid: stack.rp.keys.signing.kid } } };
    const answer = await authorize(await federatedAuthorizationUrl(stack.issuer, forged));
    expect(toInteraction(answer)).toBe(false);
    expect(answer.status).toBe(400);
    expect(answer.location).toBeNull();
    expect(answer.body).toContain('data-code="invalid_request_object"');
  });

  test('discovery advertises automatic registration', async () => {
    const discovery = (await (await fetch(`${stack.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery.client_registration_types_supported).toEqual(['automatic']);
  });
});

describe('an RP whose trust cannot be established gets the error page: status 400, NO redirect, the federation code logged', () => {
  test('a tampered subordinate statement', async () => {
    const stack = await startOpStack();
    try {
      const honest = await stack.federation.subordinateStatement(TA, RP, stack.federation.subordinates.get(`${TA} ${RP}`)!);
      stack.federation.overrides.set(`${TA}/fetch?sub=${encodeURIComponent(RP)}`, async () => ({ contentType: 'application/entity-statement+jwt', body: tamperSignature(honest) }));
      const answer = await authorize(await federatedAuthorizationUrl(stack.issuer, stack.rp));
      expect(answer).toMatchObject({ status: 400, location: null });
      expect(answer.body).toContain('data-code="invalid_client"');
      expect(answer.body).not.toContain(stack.rp.redirectUri);
      expect(stack.logs).toContainEqual(expect.objectContaining({ event: 'federation_client_refused', client_id: RP, code: 'statement_bad_signature' }));
    } finally {
      await stack.close();
    }
  });

  test('an RP without the trust mark the anchor requires: nothing but its own configuration and the anchor\'s is fetched', async () => {
    const stack = await startOpStack();
    try {
      stack.federation.entity(RP).trustMarks = [];
      const answer = await authorize(await federatedAuthorizationUrl(stack.issuer, stack.rp));
      expect(answer).toMatchObject({ status: 400, location: null });
      expect(stack.logs).toContainEqual(expect.objectContaining({ event: 'federation_client_refused', client_id: RP, code: 'trust_mark_missing' }));
      expect(stack.federation.urls().filter((url) => url.includes('/fetch?'))).toEqual([]);
    } finally {
      await stack.close();
    }
  });

  test('resolved metadata oidc-provider refuses (an algorithm it does not enable): the error page too, never a redirect', async () => {
    const stack = await startOpStack();
    try {
      stack.federation.entity(RP).metadata.openid_relying_party!.id_token_signed_response_alg = 'HS256';
      const answer = await authorize(await federatedAuthorizationUrl(stack.issuer, stack.rp));
      expect(answer).toMatchObject({ status: 400, location: null });
      expect(answer.body).toContain('data-code="invalid_client_metadata"');
    } finally {
      await stack.close();
    }
  });

  test('an RP the operator disabled (FEDERATION_DISABLED_ENTITIES) is refused before anything is fetched', async () => {
    const stack = await startOpStack();
    const disabledFile = join(stack.dir, 'disabled.txt');
    await writeFile(disabledFile, `${RP}\n`);
    const disabling = await startOpStack({ env: { FEDERATION_DISABLED_ENTITIES: disabledFile } });
    try {
      const answer = await authorize(await federatedAuthorizationUrl(disabling.issuer, disabling.rp));
      expect(answer).toMatchObject({ status: 400, location: null });
      expect(disabling.logs).toContainEqual(expect.objectContaining({ event: 'federation_client_refused', client_id: RP, code: 'entity_disabled' }));
      expect(disabling.federation.urls().filter((url) => url.startsWith(RP))).toEqual([]);
      // The same RP, not disabled, is let in.
      expect(toInteraction(await authorize(await federatedAuthorizationUrl(stack.issuer, stack.rp)))).toBe(true);
    } finally {
      await disabling.close();
      await stack.close();
    }
  });
});

describe('request objects of the reference RPs through the anchor\'s legacy_request_objects', () => {
  // The italia Node RP: no exp, no jti, a sub, aud = [op, authorization endpoint].
  const nodeShape = (issuer: string) => ({ exp: undefined, jti: undefined, sub: RP, aud: [issuer, `${issuer}/auth`] });

  test('refused when the anchor does not relax them', async () => {
    const stack = await startOpStack();
    try {
      const answer = await authorize(await federatedAuthorizationUrl(stack.issuer, stack.rp, nodeShape(stack.issuer)));
      expect(answer.status).toBe(303);
      expect(new URL(answer.location!).searchParams.get('error')).toBe('invalid_request_object');
    } finally {
      await stack.close();
    }
  });

  test('accepted, and logged, when the anchor lists the RP; an RP that claims the relaxation in its own metadata does not get it', async () => {
    const listed = await startOpStack({ legacyRequestObjects: [RP] });
    const selfClaimed = await startOpStack();
    try {
      const logs = captureLogs();
      try {
        expect(toInteraction(await authorize(await federatedAuthorizationUrl(listed.issuer, listed.rp, nodeShape(listed.issuer))))).toBe(true);
      } finally {
        logs.restore();
      }
      expect(logs.lines).toContainEqual(expect.objectContaining({ level: 'warn', event: 'legacy_request_object_accepted', client_id: RP, missing: ['exp', 'jti'] }));
      selfClaimed.federation.entity(RP).metadata.openid_relying_party!.legacy_request_objects = true;
      const answer = await authorize(await federatedAuthorizationUrl(selfClaimed.issuer, selfClaimed.rp, nodeShape(selfClaimed.issuer)));
      expect(new URL(answer.location!).searchParams.get('error')).toBe('invalid_request_object');
    } finally {
      await listed.close();
      await selfClaimed.close();
    }
  });
});
