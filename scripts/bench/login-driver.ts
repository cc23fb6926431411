import { createHash, sign } from 'node:crypto';
import { buildAssertion } from '../../src/bridge/assertion-builder.js';
import { authorizationUrl, type PendingLogin } from '../../src/demo-rp/rp-client.js';
import type { CieCardData } from '../../src/simulator/card/index.js';
import { clientAssertion, clientAuthFields } from './login-client-auth.js';
import { LoginCookieJar } from './login-cookie-jar.js';
import { httpRequest, type HttpAnswer } from './login-http.js';
import type { LoginBenchStack } from './login-stack.js';

/** The legs of one card login, in order; `completion` answers the consent page, `consent` includes the resume at /auth/:uid. */
export const LOGIN_LEGS = ['authorize', 'loginPage', 'challenge', 'assertion', 'completion', 'consent', 'token', 'userinfo'] as const;
export type LoginLeg = (typeof LOGIN_LEGS)[number];
/** HTTP round trips per login (consent is two: the confirm and the resume). */
export const ROUND_TRIPS_PER_LOGIN = 9;

/** The interaction's URL from its completion's (the completion answers the consent page; its confirm is `<this>/confirm`). */
export function interactionUrlOf(completionUrl: string, issuer: string): string {
  return new URL(completionUrl, issuer).href.replace(/\/cie\/complete\?.*$/, '');
}

/** What the load generator signs before a timed run (request object, client assertion). */
export interface PreparedLogin {
  url: URL;
  pending: PendingLogin;
  clientAssertion: string;
}

export interface LoginOutcome {
  legsMs: Record<LoginLeg, number>;
  refreshToken: string | undefined;
}

export async function prepareLogin(stack: LoginBenchStack, scope: string): Promise<PreparedLogin> {
  const { url, pending } = await authorizationUrl(stack.rp.config, stack.rp.redirectUri, stack.rp.keys, scope);
  return { url, pending, clientAssertion: await clientAssertion({ clientId: stack.rp.clientId, issuer: stack.issuer, signing: stack.rp.keys.signing }) };
}

class UnexpectedAnswer extends Error {}

function expectStatus(response: HttpAnswer, status: number, step: string): void {
  if (response.status !== status) throw new UnexpectedAnswer(`${step}: HTTP ${response.status}, expected ${status}`);
}

/**
 * One level-3 card login as a browser plus RP would do it, each redirect followed by hand so every
 * leg is timed on its own. The card signature is made here with the card's key (no bridge, no APDUs).
 */
export function runLogin(stack: LoginBenchStack, prepared: PreparedLogin, options: { offlineAccess: boolean }): Promise<LoginOutcome> {
  return stack.cards.with((card) => loginWithCard(stack, card, prepared, options));
}

async function loginWithCard(stack: LoginBenchStack, card: CieCardData, prepared: PreparedLogin, options: { offlineAccess: boolean }): Promise<LoginOutcome> {
  const jar = new LoginCookieJar();
  const legsMs = {} as Record<LoginLeg, number>;
  const browse = async (url: string, init: { method?: string; form?: Record<string, string>; origin?: string; cookies?: boolean } = {}) => {
    const headers: Record<string, string> = { accept: 'text/html' };
    if (init.cookies !== false) headers.cookie = jar.header();
    if (init.origin) headers.origin = init.origin;
    const response = await httpRequest(new URL(url, stack.issuer), { method: init.method ?? 'GET', headers, ...(init.form ? { form: init.form } : {}) });
    jar.take(response.setCookies);
    return response;
  };
  const timed = async <T>(leg: LoginLeg, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    legsMs[leg] = performance.now() - start;
    return result;
  };
  const location = (response: HttpAnswer) => response.location ?? '';

  const interactionUrl = await timed('authorize', async () => {
    const answer = await browse(prepared.url.href);
    expectStatus(answer, 303, 'authorize');
    return location(answer);
  });
  await timed('loginPage', async () => {
    const answer = await browse(interactionUrl);
    expectStatus(answer, 200, 'login page');
  });
  const challenge = await timed('challenge', async () => {
    const answer = await browse(`${interactionUrl}/cie`, { method: 'POST', form: {}, origin: stack.issuer });
    expectStatus(answer, 303, 'challenge');
    return new URL(location(answer)).searchParams.get('challenge') ?? '';
  });
  const challengeBytes = Buffer.from(challenge, 'base64url');
  const origin = new URL(stack.issuer).origin;
  // RSASSA-PKCS1-v1_5 with SHA-256 over M: the signature the card makes for DigestInfo(SHA-256(M)) (docs/assertion.md).
  const message = Buffer.concat([createHash('sha256').update(origin).digest(), createHash('sha256').update(challengeBytes).digest()]);
  const signature = sign('sha256', message, card.authKey);
  const assertion = buildAssertion({ origin, challenge: challengeBytes, certificate: card.authCertificate, signature, bridgeVersion: 'bench' });
  const completionUrl = await timed('assertion', async () => {
    const answer = await browse('/cie/assertion', { method: 'POST', form: { assertion }, origin: stack.bridgeUrl, cookies: false });
    expectStatus(answer, 303, 'assertion');
    return location(answer);
  });
  // The completion answers the consent page; the login waits in the interaction for it.
  const consentUrl = await timed('completion', async () => {
    const completed = await browse(completionUrl);
    expectStatus(completed, 200, 'completion (consent page)');
    return interactionUrlOf(completionUrl, stack.issuer);
  });
  const callback = await timed('consent', async () => {
    const confirmed = await browse(`${consentUrl}/confirm`, { method: 'POST', form: options.offlineAccess ? { offline_access: 'on' } : {}, origin: stack.issuer });
    expectStatus(confirmed, 303, 'consent');
    const resumed = await browse(location(confirmed));
    expectStatus(resumed, 303, 'resume after consent');
    return new URL(location(resumed));
  });
  const code = callback.searchParams.get('code');
  if (!code) throw new UnexpectedAnswer(`no code in the callback: ${callback.search}`);
  const tokens = await timed('token', async () => {
    const answer = await httpRequest(new URL('/token', stack.issuer), {
      method: 'POST',
      headers: { accept: 'application/json' },
      form: {
        grant_type: 'authorization_code',
        code,
        redirect_uri: stack.rp.redirectUri,
        code_verifier: prepared.pending.codeVerifier,
        ...clientAuthFields(prepared.clientAssertion, stack.rp.clientId),
      },
    });
    expectStatus(answer, 200, 'token');
    return JSON.parse(answer.body) as { access_token: string; id_token: string; refresh_token?: string };
  });
  await timed('userinfo', async () => {
    const answer = await httpRequest(new URL('/me', stack.issuer), { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expectStatus(answer, 200, 'userinfo');
  });
  return { legsMs, refreshToken: tokens.refresh_token };
}
