import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { decodeJwt, SignJWT } from 'jose';
import request from 'supertest';
import { loadProviderConfig } from '../../src/config/config.js';
import { relyingPartyMetadata } from '../../src/demo-rp/rp-client.js';
import { loadRelyingPartyKeys } from '../../src/demo-rp/rp-keys.js';
import { closeNow, listen } from '../../src/shared/http-server.js';
import { createProviderApp, type ProviderApp } from '../../src/provider-app.js';
import { authorizationRequest } from '../profile/support/request-object.js';
import type { ProfileStack, TestRp } from '../profile/support/profile-stack.js';

// Every URL the provider writes is ISSUER's, whatever Host, X-Forwarded-Host/-Proto or request target
// a request arrives with; a name that is not the provider's gets 421 (src/oidc/issuer-host.ts).
const ISSUER = 'https://id.example.it';
const RP_ORIGIN = 'https://rp.example.it';

let dir: string;
let app: ProviderApp;
let rp: TestRp;
let server: Server;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'issuer-host-'));
  const keys = await loadRelyingPartyKeys(join(dir, 'rp.json'));
  const metadata = relyingPartyMetadata(RP_ORIGIN, 'Comune di Esempio', keys);
  rp = { clientId: RP_ORIGIN, redirectUri: `${RP_ORIGIN}/callback`, metadata, keys } as TestRp;
  const config = loadProviderConfig({ KEYS_DIR: dir, CIE_TRUST_ANCHORS: '', CIE_INTERMEDIATES: '', ISSUER, TRUST_PROXY: 'true', ALLOWED_HOSTS: 'provider.internal' });
  app = await createProviderApp({ config, extraClients: [metadata] });
  server = createServer(app.provider.callback());
  await listen(server, 0, '127.0.0.1');
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  app?.close();
  if (server) await closeNow(server);
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  app.provider.proxy = true;
});

const agent = () => request(app.provider.callback());
const discovery = (headers: Record<string, string>) => agent().get('/.well-known/openid-configuration').set(headers);

/** Every absolute http(s) URL in a discovery document. */
function urlsIn(document: unknown): string[] {
  return [...JSON.stringify(document).matchAll(/"(https?:\/\/[^"]+)"/g)].map((match) => match[1]!);
}

function expectIssuerEndpoints(document: Record<string, unknown>): void {
  expect(document.issuer).toBe(ISSUER);
  const endpoints = Object.entries(document).filter(([name]) => name.endsWith('_endpoint') || name === 'jwks_uri');
  expect(endpoints.length).toBeGreaterThan(4);
  const urls = Object.entries(document).filter(([name]) => name.endsWith('_endpoint') || name.endsWith('_uri')).map(([, url]) => String(url));
  expect(urls.filter((url) => !url.startsWith(`${ISSUER}/`))).toEqual([]);
  // No other origin anywhere: not the Host's, not a forwarded one, not another scheme of the issuer's.
  expect(urlsIn(document).filter((url) => /127\.0\.0\.1|localhost|evil|internal|http:\/\/|:8080/i.test(url))).toEqual([]);
}

describe('a foreign Host is refused with 421', () => {
  test('discovery under Host evil.example: 421, JSON for a client, no endpoint of anyone', async () => {
    const response = await discovery({ Host: 'evil.example', Accept: 'application/json' });
    expect(response.status).toBe(421);
    expect(response.body.error).toBe('misdirected_request');
    expect(response.text).not.toContain('evil.example');
    expect(response.text).not.toContain('_endpoint');
  });

  test('a browser gets the page in Italian or English, naming the issuer to type, and no cookie', async () => {
    const italian = await agent().get('/account').set({ Host: 'evil.example', Accept: 'text/html', 'Accept-Language': 'it' });
    expect(italian.status).toBe(421);
    expect(italian.text).toContain('Indirizzo non riconosciuto');
    expect(italian.text).toContain(ISSUER);
    expect(italian.headers['set-cookie']).toBeUndefined();
    expect(italian.text).not.toContain('evil.example');
    const english = await agent().get('/.well-known/openid-configuration?lang=en').set({ Host: 'evil.example', Accept: 'text/html' });
    expect(english.status).toBe(421);
    expect(english.text).toContain('Address not recognised');
  });

  test('X-Forwarded-Host naming another host is refused when a proxy is trusted, whatever the Host', async () => {
    expect((await discovery({ Host: 'id.example.it', 'X-Forwarded-Host': 'evil.example' })).status).toBe(421);
    expect((await discovery({ Host: '127.0.0.1:3000', 'X-Forwarded-Host': 'evil.example:443', 'X-Forwarded-Proto': 'https' })).status).toBe(421);
  });

  test('the authorization endpoint under a foreign Host starts no login', async () => {
    const url = await authorizationRequest({ issuer: ISSUER } as ProfileStack, rp);
    const response = await agent().get(`${url.pathname}${url.search}`).set('Host', 'evil.example');
    expect(response.status).toBe(421);
    expect(response.headers.location).toBeUndefined();
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  test('an absolute-form request target naming another host is refused (RFC 9112 §3.2.2: it overrides Host)', async () => {
    const answer = await rawGet('http://evil.example/.well-known/openid-configuration', 'id.example.it');
    expect(answer.status).toBe(421);
  });

  test('the health endpoints answer any Host: a probe reaches the pod by its IP', async () => {
    for (const host of ['10.1.2.3:3000', 'evil.example']) {
      expect((await agent().get('/healthz').set('Host', host)).status).toBe(200);
      expect((await agent().get('/readyz').set('Host', host)).status).toBe(200);
    }
  });
});

describe('an accepted Host is pinned to ISSUER', () => {
  test('a proxy that does not pass the Host on (Host 127.0.0.1, scheme http): discovery still lists only ISSUER\'s endpoints', async () => {
    const response = await discovery({ Host: `127.0.0.1:${port}`, 'X-Forwarded-Proto': 'http' });
    expect(response.status).toBe(200);
    expectIssuerEndpoints(response.body);
  });

  test('the proxy that passes the issuer\'s Host and scheme on: ISSUER\'s endpoints', async () => {
    const response = await discovery({ Host: 'id.example.it', 'X-Forwarded-Proto': 'https' });
    expect(response.status).toBe(200);
    expectIssuerEndpoints(response.body);
  });

  test('a name of ALLOWED_HOSTS (any port, any case) is answered, with ISSUER\'s endpoints', async () => {
    const response = await discovery({ Host: 'Provider.Internal:3000' });
    expect(response.status).toBe(200);
    expectIssuerEndpoints(response.body);
  });

  test('without a trusted proxy X-Forwarded-Host and -Proto are ignored, and the endpoints are ISSUER\'s', async () => {
    app.provider.proxy = false;
    const response = await discovery({ Host: 'localhost:3000', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'http' });
    expect(response.status).toBe(200);
    expectIssuerEndpoints(response.body);
  });

  test('an absolute-form target with the issuer\'s name but another scheme and port: ISSUER\'s endpoints', async () => {
    const answer = await rawGet('http://id.example.it:8080/.well-known/openid-configuration', `127.0.0.1:${port}`);
    expect(answer.status).toBe(200);
    expectIssuerEndpoints(JSON.parse(answer.body) as Record<string, unknown>);
  });

  test('the federation entity configuration under a loopback Host names ISSUER\'s endpoints; under a foreign one it is refused', async () => {
    const statement = await agent().get('/.well-known/openid-federation').set({ Host: `127.0.0.1:${port}`, 'X-Forwarded-Proto': 'http' });
    expect(statement.status).toBe(200);
    const claims = decodeJwt(statement.text);
    expect([claims.iss, claims.sub]).toEqual([ISSUER, ISSUER]);
    expectIssuerEndpoints((claims.metadata as { openid_provider: Record<string, unknown> }).openid_provider);
    expect((await agent().get('/.well-known/openid-federation').set('Host', 'evil.example')).status).toBe(421);
  });

  test('a client assertion is accepted for ISSUER\'s introspection endpoint, not for the spelling of the Host it was called under', async () => {
    const host = 'provider.internal:3000';
    const introspect = async (aud: string) => {
      const assertion = await new SignJWT({ iss: rp.clientId, sub: rp.clientId, aud, jti: randomUUID() })
        .setProtectedHeader({ alg: 'RS256', kid: rp.keys.signing.kid }).setIssuedAt().setExpirationTime('1m').sign(rp.keys.signing.key);
      return agent().post('/token/introspection').set('Host', host).type('form')
        .send({ client_id: rp.clientId, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion, token: 'x' });
    };
    expect(await introspect(`http://${host}/token/introspection`)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await introspect(`${ISSUER}/token/introspection`)).status).toBe(200);
  });

  test('the authorization request under a loopback Host: the interaction returns to ISSUER, cookies are Secure, the login page and its forms name no other host', async () => {
    const url = await authorizationRequest({ issuer: ISSUER } as ProfileStack, rp);
    const host = `127.0.0.1:${port}`;
    const started = await agent().get(`${url.pathname}${url.search}`).set({ Host: host, 'X-Forwarded-Proto': 'http' });
    expect(started.status).toBe(303);
    const location = started.headers.location as string;
    const uid = /^\/interaction\/([^/?]+)$/.exec(location)?.[1];
    expect(uid).toBeDefined();
    // Where the finished interaction sends the browser back (interaction/finish-interaction.ts): ISSUER's resume URL.
    const interaction = await app.provider.Interaction.find(uid!);
    expect(interaction?.returnTo).toBe(`${ISSUER}/auth/${uid}`);
    const cookies = started.headers['set-cookie'] as unknown as string[];
    expect(cookies.length).toBeGreaterThan(0);
    expect(cookies.filter((cookie) => !/;\s*secure/i.test(cookie))).toEqual([]);

    const page = await agent().get(location).set({ Host: host, Cookie: cookies.map((cookie) => cookie.split(';')[0]).join('; '), Accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form');
    expect(absoluteUrlsOnPage(page.text).filter((found) => !found.startsWith(`${ISSUER}/`) && !found.startsWith('http://127.0.0.1:3900') && !isExternalLink(found))).toEqual([]);
    expect(page.text).not.toContain(host);
  });

  test('the account page under a loopback Host and a forwarded http scheme: no link to that host or scheme', async () => {
    const page = await agent().get('/account').set({ Host: `127.0.0.1:${port}`, 'X-Forwarded-Proto': 'http', Accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form');
    expect(page.text).not.toContain(`127.0.0.1:${port}`);
    expect(absoluteUrlsOnPage(page.text).filter((found) => found.startsWith('http://id.example.it'))).toEqual([]);
  });
});

/** Absolute URLs in a page's href, src and action attributes and in its Content-Security-Policy-free text. */
function absoluteUrlsOnPage(html: string): string[] {
  return [...html.matchAll(/(?:href|src|action)="(https?:\/\/[^"]+)"/g)].map((match) => match[1]!);
}

/** The footer's links to the help desk and the designers' kit name other sites on purpose. */
function isExternalLink(url: string): boolean {
  return !/^https?:\/\/(127\.0\.0\.1|localhost|id\.example\.it|evil\.example)/.test(url);
}

/** A request the way a proxy client sends it: the request target in absolute form (supertest cannot). */
function rawGet(target: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port, method: 'GET', path: target, headers: { Host: host, Accept: 'application/json' }, timeout: 5000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', reject);
    outgoing.end();
  });
}
