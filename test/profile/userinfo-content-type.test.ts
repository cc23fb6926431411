import { compactDecrypt } from 'jose';
import request from 'supertest';
import * as client from 'openid-client';
import { signIn } from './support/profile-login.js';
import { startProfileStack, type ProfileStack } from './support/profile-stack.js';
import { assertUserinfoContentType } from '../../src/oidc/userinfo-content-type.js';

// openid-client reads only `application/jwt`; the italia reference Node RP only exactly `application/jose`.

let stack: ProfileStack;
let accessToken: string;
beforeAll(async () => {
  stack = await startProfileStack();
  accessToken = (await signIn(stack, stack.rp)).tokens.access_token;
});
afterAll(async () => stack?.close());

function userinfo(accept?: string) {
  const call = request(stack.issuer).get('/me').set('Authorization', `Bearer ${accessToken}`);
  return accept === undefined ? call : call.set('Accept', accept);
}

async function expectEncryptedToRp(body: string): Promise<void> {
  const { protectedHeader } = await compactDecrypt(body, stack.rp.keys.encryption.key);
  expect(protectedHeader).toMatchObject({ cty: 'JWT', kid: stack.rp.keys.encryption.kid });
}

test('without an Accept naming either type the answer is application/jwt, as before', async () => {
  for (const accept of [undefined, '*/*', 'application/json']) {
    const response = await userinfo(accept).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => done(null, text));
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/jwt(;|$)/);
    await expectEncryptedToRp(response.body as string);
  }
});

test('Accept: application/jose gets Content-Type exactly application/jose (what the italia Node RP compares)', async () => {
  const response = await userinfo('application/jose').buffer(true).parse((res, done) => {
    let text = '';
    res.on('data', (chunk: Buffer) => (text += chunk.toString()));
    res.on('end', () => done(null, text));
  });
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toBe('application/jose');
  expect(response.headers.vary).toMatch(/accept/i);
  await expectEncryptedToRp(response.body as string);
});

test('the Accept q-values decide between the two', async () => {
  const jose = await userinfo('application/jwt;q=0.5, application/jose');
  expect(jose.headers['content-type']).toBe('application/jose');
  const jwt = await userinfo('application/jose;q=0.2, application/jwt');
  expect(jwt.headers['content-type']).toMatch(/^application\/jwt(;|$)/);
});

test('openid-client (Accept: application/jwt) still reads the userinfo', async () => {
  const claims = await client.fetchUserInfo(stack.rp.config, accessToken, client.skipSubjectCheck);
  expect(claims.family_name).toBe('Rossi');
});

test('an error answer is left as it is (JSON, 401)', async () => {
  const response = await request(stack.issuer).get('/me').set('Authorization', 'Bearer nope').set('Accept', 'application/jose');
  expect(response.status).toBe(401);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
});

test('the client setting userinfo_content_type takes only the two types', () => {
  expect(() => assertUserinfoContentType('application/jose')).not.toThrow();
  expect(() => assertUserinfoContentType('application/jwt')).not.toThrow();
  expect(() => assertUserinfoContentType(undefined)).not.toThrow();
  const refused = (() => {
    try {
      assertUserinfoContentType('application/json');
    } catch (error) {
      return error;
    }
  })();
  expect(refused).toMatchObject({ error: 'invalid_client_metadata', error_description: expect.stringContaining('userinfo_content_type') });
});
