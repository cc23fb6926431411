import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair } from 'jose';
import { freePort } from '../../src/shared/free-port.js';
import { deployedNodeOptions } from './deployed-node-options.js';
import { startChild } from './login-child.js';
import { clientAuthFields, type ClientIdentity } from './login-client-auth.js';
import { LoginCookieJar } from './login-cookie-jar.js';
import { alternateWithSameWork, describeCrypto, type AlternatingComparison, type CryptoWork } from './login-floors.js';
import { httpRequest, type HttpAnswer } from './login-http.js';
import { closedLoop } from './login-load.js';
import { clientAssertions, refreshGrant, RefreshTokenChains } from './refresh-grant.js';

const CLIENT_ID = 'bench-stock-client';
const CLIENT_KID = 'bench-stock-client-key';
const REDIRECT_URI = 'https://rp.example/callback';

/** Requests of one stock login: authorize, login page, login, resume, consent page, consent, resume, token, userinfo. */
export const STOCK_ROUND_TRIPS_PER_LOGIN = 9;

/**
 * The stock library's crypto per code or refresh grant: verify the client assertion (RS256), sign
 * the ID token (`alg`); its access and refresh tokens are opaque and its userinfo plain JSON.
 */
export function stockGrantCrypto(alg: 'RS256' | 'ES256'): CryptoWork {
  return alg === 'RS256' ? { rsaSigns: 1, rsaVerifies: 1, ecSigns: 0, ecVerifies: 0, encryptions: 0 } : { rsaSigns: 0, rsaVerifies: 1, ecSigns: 1, ecVerifies: 0, encryptions: 0 };
}

/** oidc-provider as it ships (`stock-provider.ts`) in its own process, and a load generator for it. */
interface StockLibrary {
  /** One saturated phase of `units` refresh grants over `sessions` chains; the library process's CPU ms per grant. */
  refreshPhase(units: number): Promise<number>;
  /** One saturated phase of `units` logins; the library process's CPU ms per login. */
  loginPhase(units: number): Promise<number>;
  stop(): Promise<void>;
}

async function startStockLibrary(alg: 'RS256' | 'ES256', options: { sessions: number; concurrency: number }): Promise<StockLibrary> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientKeys = await generateKeyPair('RS256', { extractable: true });
  const clientJwk = { ...(await exportJWK(clientKeys.publicKey)), kid: CLIENT_KID, alg: 'RS256', use: 'sig' };
  const script = fileURLToPath(new URL('./stock-provider.js', import.meta.url));
  const child = await startChild(process.execPath, [script], { PORT: String(port), NODE_OPTIONS: deployedNodeOptions(), TOKEN_ALG: alg, CLIENT_ID, REDIRECT_URI, CLIENT_JWK: JSON.stringify(clientJwk) }, /listening/);
  try {
    const identity: ClientIdentity = { clientId: CLIENT_ID, issuer, signing: { key: clientKeys.privateKey, kid: CLIENT_KID } };
    const seeded = await httpRequest(new URL(`/seed?count=${options.sessions}`, issuer));
    if (seeded.status !== 200) throw new Error(`stock provider: seeding failed: ${seeded.body}`);
    const chains = new RefreshTokenChains(JSON.parse(seeded.body) as string[]);
    const tokenUrl = new URL('/token', issuer);
    const phase = async (units: number, one: (assertion: string) => Promise<unknown>) => {
      const assertions = await clientAssertions(identity, units);
      const cpu = child.cpuSeconds();
      const run = await closedLoop(assertions, options.concurrency, one);
      if (run.failures > 0) throw new Error(`stock provider: ${run.failures} failures, first: ${run.firstFailure}`);
      return (1000 * (child.cpuSeconds() - cpu)) / run.results.length;
    };
    return {
      refreshPhase: (units) => phase(units, (assertion) => refreshGrant(tokenUrl, CLIENT_ID, chains, assertion)),
      loginPhase: (units) => phase(units, (assertion) => stockLogin(issuer, assertion)),
      stop: () => child.stop(),
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/**
 * oidc-provider as it ships against a bare koa route doing *its* round trips and crypto, in phases
 * alternating as the provider's are (alternateWithSameWork): how close the library alone comes to its
 * floor, i.e. what part of "% of the floor" it leaves to anything built on it. `sessions`: refresh-token
 * chains seeded for grants (a login needs none: 0).
 */
export async function alternateStockWithItsFloor(
  unit: 'login' | 'grant',
  alg: 'RS256' | 'ES256',
  spec: { concurrency: number; units: number; phases: number; sessions: number },
): Promise<AlternatingComparison> {
  const stock = await startStockLibrary(alg, { sessions: spec.sessions, concurrency: spec.concurrency });
  try {
    const phase = (units: number) => (unit === 'login' ? stock.loginPhase(units) : stock.refreshPhase(units));
    // JIT warm-up, as the provider under test is warmed before its timed phases.
    await phase(Math.min(spec.units, 200));
    return await alternateWithSameWork(
      { roundTrips: unit === 'login' ? STOCK_ROUND_TRIPS_PER_LOGIN : 1, concurrency: spec.concurrency, work: stockGrantCrypto(alg), units: spec.units, phases: spec.phases },
      () => phase(spec.units),
    );
  } finally {
    await stock.stop();
  }
}

/** One login on the stock library as a browser plus RP would make it, redirects followed by hand. */
async function stockLogin(issuer: string, assertion: string): Promise<void> {
  const jar = new LoginCookieJar();
  const browse = async (url: string, expected: number, method = 'GET'): Promise<string> => {
    const answer = await httpRequest(new URL(url, issuer), { method, headers: { accept: 'text/html', cookie: jar.header() }, ...(method === 'POST' ? { form: {} } : {}) });
    jar.take(answer.setCookies);
    expectStatus(answer, expected, url);
    return answer.location ?? '';
  };
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL('/auth', issuer);
  authorize.search = new URLSearchParams({
    client_id: CLIENT_ID, response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI,
    state: randomBytes(8).toString('hex'), nonce: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
  }).toString();
  const loginStep = await browse(authorize.href, 303);
  await browse(loginStep, 200);
  const consentStep = await browse(await browse(`${loginStep}/login`, 303, 'POST'), 303);
  await browse(consentStep, 200);
  const callback = new URL(await browse(await browse(`${consentStep}/confirm`, 303, 'POST'), 303));
  const code = callback.searchParams.get('code') ?? '';
  const token = await httpRequest(new URL('/token', issuer), {
    method: 'POST',
    headers: { accept: 'application/json' },
    form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, ...clientAuthFields(assertion, CLIENT_ID) },
  });
  expectStatus(token, 200, 'token');
  const { access_token: accessToken } = JSON.parse(token.body) as { access_token: string };
  expectStatus(await httpRequest(new URL('/me', issuer), { headers: { authorization: `Bearer ${accessToken}` } }), 200, 'userinfo');
}

function expectStatus(answer: HttpAnswer, status: number, what: string): void {
  if (answer.status !== status) throw new Error(`stock login, ${what}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
}

/** The stock library against a bare koa route doing its own round trips and crypto, alternating. */
export function stockLibraryLine(unit: string, setting: string, crypto: CryptoWork, comparison: AlternatingComparison): string {
  const { ratio } = comparison;
  const percent = (value: number) => (100 * value).toFixed(0);
  return `the library alone: oidc-provider as it ships (${setting}; ${describeCrypto(crypto)}), ${comparison.phases} phases alternating with a bare koa route doing its round trips and crypto: library CPU ${comparison.providerCpuMs.toFixed(2)} ms, floor ${comparison.floorCpuMs.toFixed(2)} ms per ${unit} (medians) → the library reaches ${percent(ratio.median)} % per core (${percent(ratio.min)}–${percent(ratio.max)} %)`;
}
