import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import request from 'supertest';
import type Koa from 'koa';
import { createRelyingPartyApp } from '../../src/demo-rp/rp-app.js';
import { loadRelyingPartyKeys, type RelyingPartyKeys } from '../../src/demo-rp/rp-keys.js';
import { ACR } from '../../src/oidc/acr.js';

// Issue 19: the demo RP asks for level 1, 2 or 3 (`?level=`). Only the RP runs here: the request it
// builds is signed locally from the provider's metadata, so no provider is needed to check what it sends.

const RP = 'http://rp.localhost:4001';
const PROVIDER = 'https://id.example.it';

let dir: string;
let keys: RelyingPartyKeys;
let app: Koa;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-demo-rp-levels-'));
  keys = await loadRelyingPartyKeys(join(dir, 'rp.json'));
  const config = new client.Configuration({ issuer: PROVIDER, authorization_endpoint: `${PROVIDER}/auth` }, RP, { request_object_signing_alg: 'RS256' });
  app = createRelyingPartyApp({ origin: RP, config: () => config, keys });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The redirect of `/login…`, and the claims of its request object once its signature checks with the RP's public keys. */
async function requestObjectOf(path: string) {
  const response = await request(app.callback()).get(path);
  expect(response.status).toBe(302);
  const url = new URL(response.headers.location!);
  expect(`${url.origin}${url.pathname}`).toBe(`${PROVIDER}/auth`);
  const { payload } = await jwtVerify(url.searchParams.get('request')!, createLocalJWKSet(keys.publicJwks), { issuer: RP, audience: PROVIDER });
  return { url, payload };
}

test.each([
  ['/login?level=1', ACR.L1],
  ['/login?level=2', ACR.L2],
  ['/login?level=3', ACR.L3],
  ['/login', ACR.L3],
  ['/login/offline?level=1', ACR.L1],
  ['/login/offline', ACR.L3],
])('%s: the signed request object asks for %s, and every login authenticates afresh', async (path, acr) => {
  const { url, payload } = await requestObjectOf(path);
  expect(payload.acr_values).toBe(acr);
  expect(payload.prompt).toBe('consent login');
  expect(payload.redirect_uri).toBe(`${RP}/callback`);
  expect(url.searchParams.get('acr_values')).toBeNull();
  const offline = path.startsWith('/login/offline');
  expect(String(payload.scope).split(' ').includes('offline_access')).toBe(offline);
});

test.each(['0', '4', 'L2', 'constructor', '__proto__', '2 ', '', 'https://www.spid.gov.it/SpidL2', '1&level=2'])('?level=%j is a 400 page of the demo RP, not a redirect', async (level) => {
  for (const path of ['/login', '/login/offline']) {
    const response = await request(app.callback()).get(`${path}?level=${level.includes('&') ? level : encodeURIComponent(level)}`);
    expect(response.status).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.type).toBe('text/html');
    expect(response.text).toContain('data-error="invalid_level"');
    expect(response.text).toContain('Livello non valido');
  }
});

test('the page lists the three levels, each a link to its login', async () => {
  const response = await request(app.callback()).get('/');
  expect(response.status).toBe(200);
  const links = [...response.text.matchAll(/<a [^>]*id="(rp-login[^"]*)" href="([^"]+)" data-level="(\d)"/g)].map((match) => [match[1], match[2], match[3]]);
  expect(links).toEqual([
    ['rp-login', '/login', '3'],
    ['rp-login-l2', '/login?level=2', '2'],
    ['rp-login-l1', '/login?level=1', '1'],
  ]);
  expect(response.text).toContain('alt="Entra con CIE"');
  expect(response.text).toContain('Livello 2 (app CieID, passkey, password + codice)');
  expect(response.text).toContain('Livello 1 (password)');
});
