import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair, type JWK } from 'jose';
import { ACR } from '../../src/oidc/acr.js';
import { freePort } from '../../src/shared/free-port.js';
import { DEMO_HOLDER, DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';

// Issue 13 item 17: a relying party written with a library nobody here wrote, express-openid-connect
// (npm), logs in at level 3 with the card (provider + bridge + virtual card, as card-login.test.ts).
// Everything on the RP side (test/support/express-rp.mjs) is the library's own behaviour through its
// documented options: its own signed request object (`requestObjectSigningKey`: it then sends only
// client_id and request), PKCE (always, for response_type code), private_key_jwt
// (`clientAssertionSigningKey`). The one CIE-specific addition is `getLoginState`, the library's
// documented hook for the state value: its default state (the return URL, base64url-encoded) can be
// shorter than the 32 random characters the profile requires (§2.2), so a random value is added.

const FISCAL_NUMBER = 'https://attributes.eid.gov.it/fiscal_number';

let stack: TestStack;
let rp: { close(): Promise<void> } | undefined;
let rpUrl: string;
let dir: string;

/** test/support/express-rp.mjs in its own Node.js process (why: see that file). */
function startExpressRp(settings: Record<string, unknown>): Promise<{ close(): Promise<void> }> {
  const script = fileURLToPath(new URL('../support/express-rp.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, JSON.stringify(settings)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('listening')) return;
      resolve({
        close: () => new Promise<void>((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    });
    child.once('exit', (code) => reject(new Error(`the express RP exited (${code}): ${output}`)));
  });
}

async function rpKey(): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256' }, publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' } };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-express-rp-'));
  const port = await freePort();
  rpUrl = `http://localhost:${port}`;
  const { privateJwk, publicJwk } = await rpKey();
  // Registered as any PA's RP would be: CLIENTS_FILE (static registration).
  const clientsFile = join(dir, 'clients.json');
  await writeFile(clientsFile, JSON.stringify([{
    client_id: rpUrl,
    client_name: 'Comune Express',
    redirect_uris: [`${rpUrl}/callback`],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    request_object_signing_alg: 'RS256',
    id_token_signed_response_alg: 'RS256',
    jwks: { keys: [publicJwk] },
  }]));
  stack = await startTestStack({ providerEnv: { CLIENTS_FILE: clientsFile } });

  rp = await startExpressRp({ issuer: stack.issuer, rpUrl, port, privateJwk, acr: ACR.L3 });
}, 120_000);

afterAll(async () => {
  await rp?.close();
  await stack?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('express-openid-connect signs in at SpidL3 with its own request object, PKCE and private_key_jwt, and reads the ID token claims', async () => {
  const flow = new CardLoginFlow(stack);
  const browser = flow.browser;
  const loginPage = await browser.get(`${rpUrl}/login`);
  expect(loginPage.status).toBe(200);
  expect(loginPage.url).toMatch(new RegExp(`^${stack.issuer}/interaction/[^/]+$`));
  expect(loginPage.body).toContain('Comune Express');

  const consent = await flow.forwardAssertion(await flow.enterPin(await flow.clickEntraConCie(loginPage), DEMO_PIN));
  expect(consent.url).toMatch(/\/interaction\/[^/]+\/cie\/complete\?ticket=/);
  // The RP's callback: code → token (private_key_jwt, PKCE verifier), ID token checked by the library.
  const back = await flow.allowConsent(consent);
  expect(back).toMatchObject({ status: 200, url: `${rpUrl}/` });
  const { idTokenClaims, idToken } = JSON.parse(back.body) as { idTokenClaims: Record<string, unknown>; idToken: string };
  expect(idTokenClaims).toMatchObject({
    iss: stack.issuer,
    aud: rpUrl,
    acr: ACR.L3,
    amr: ['sc', 'pin', 'mfa'],
    given_name: 'Mario',
    family_name: 'Rossi',
    birthdate: DEMO_HOLDER.birthDate,
    [FISCAL_NUMBER]: `TINIT-${DEMO_HOLDER.fiscalCode}`,
    email: DEMO_HOLDER.email,
  });
  expect(String(idTokenClaims.sub)).not.toContain(DEMO_HOLDER.fiscalCode);
  expect(decodeJwt(idToken).nonce).toEqual(expect.any(String));
});

test('what express-openid-connect sends: only client_id and a signed request object carrying PKCE S256', async () => {
  const response = await fetch(`${rpUrl}/login`, { redirect: 'manual' });
  const location = new URL(response.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(`${stack.issuer}/auth`);
  expect([...location.searchParams.keys()].sort()).toEqual(['client_id', 'request']);
  const requestObject = decodeJwt(location.searchParams.get('request')!);
  expect(requestObject).toMatchObject({ iss: rpUrl, aud: stack.issuer, response_type: 'code', code_challenge_method: 'S256', acr_values: ACR.L3 });
  expect(requestObject.code_challenge).toEqual(expect.any(String));
  expect(requestObject.jti).toEqual(expect.any(String));
});
