// The browser and RP half of a level-1/2 bench login (part `levels`): a cookie-keeping browser on the
// provider, the request prepared for an acr, and everything after the method's own steps.
import * as client from 'openid-client';
import { clientAssertion, clientAuthFields } from './login-client-auth.js';
import { LoginCookieJar } from './login-cookie-jar.js';
import { interactionUrlOf, type PreparedLogin } from './login-driver.js';
import { httpRequest, type HttpAnswer } from './login-http.js';
import type { LoginBenchStack } from './login-stack.js';

const SCOPE = 'openid profile';

export class UnexpectedAnswer extends Error {}
export const expectStatus = (answer: HttpAnswer, status: number, step: string) => {
  if (answer.status !== status) throw new UnexpectedAnswer(`${step}: HTTP ${answer.status}, expected ${status}`);
};

export type Browse = (url: string, init?: { method?: string; form?: Record<string, string> }) => Promise<HttpAnswer>;

/** One browser: its own cookies, form posts with the provider's Origin, as a page does. */
export function browserOn(stack: LoginBenchStack): Browse {
  const jar = new LoginCookieJar();
  return async (url, init = {}) => {
    const response = await httpRequest(new URL(url, stack.issuer), { method: init.method ?? 'GET', headers: { accept: 'text/html', cookie: jar.header(), ...(init.form ? { origin: stack.issuer } : {}) }, ...(init.form ? { form: init.form } : {}) });
    jar.take(response.setCookies);
    return response;
  };
}

/** A login prepared for `acr` (request object and client assertion signed before the timed run), as prepareLogin does for level 3. */
export async function prepareAt(stack: LoginBenchStack, acr: string): Promise<PreparedLogin> {
  const codeVerifier = client.randomPKCECodeVerifier();
  const pending = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier };
  const outside = { scope: SCOPE, code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256', response_type: 'code' };
  const url = await client.buildAuthorizationUrlWithJAR(stack.rp.config, { ...outside, redirect_uri: stack.rp.redirectUri, state: pending.state, nonce: pending.nonce, prompt: 'consent login', acr_values: acr }, { key: stack.rp.keys.signing.key, kid: stack.rp.keys.signing.kid });
  for (const [name, value] of Object.entries(outside)) url.searchParams.set(name, value);
  return { url, pending, clientAssertion: await clientAssertion({ clientId: stack.rp.clientId, issuer: stack.issuer, signing: stack.rp.keys.signing }) };
}

/** Authorize and the login page: the interaction's URL. */
export async function loginPageOf(browse: Browse, prepared: PreparedLogin): Promise<string> {
  const authorized = await browse(prepared.url.href);
  expectStatus(authorized, 303, 'authorize');
  const interactionUrl = authorized.location ?? '';
  expectStatus(await browse(interactionUrl), 200, 'login page');
  return interactionUrl;
}

/** From the method's answer (a 303 to the completion) to the tokens and userinfo; the ID token's acr and amr. */
export async function finishToTokens(stack: LoginBenchStack, browse: Browse, prepared: PreparedLogin, completionLocation: string): Promise<{ acr: string; amr: string[] }> {
  // The completion answers the consent page; the login waits in the interaction for it.
  expectStatus(await browse(completionLocation), 200, 'completion (consent page)');
  const consentUrl = interactionUrlOf(completionLocation, stack.issuer);
  const confirmed = await browse(`${consentUrl}/confirm`, { method: 'POST', form: {} });
  expectStatus(confirmed, 303, 'consent');
  const callback = await browse(confirmed.location ?? '');
  const code = new URL(callback.location ?? '', stack.issuer).searchParams.get('code');
  if (!code) throw new UnexpectedAnswer('no code in the callback');
  const tokens = await httpRequest(new URL('/token', stack.issuer), {
    method: 'POST',
    headers: { accept: 'application/json' },
    form: { grant_type: 'authorization_code', code, redirect_uri: stack.rp.redirectUri, code_verifier: prepared.pending.codeVerifier, ...clientAuthFields(prepared.clientAssertion, stack.rp.clientId) },
  });
  expectStatus(tokens, 200, 'token');
  const { access_token: accessToken, id_token: idToken } = JSON.parse(tokens.body) as { access_token: string; id_token: string };
  expectStatus(await httpRequest(new URL('/me', stack.issuer), { headers: { authorization: `Bearer ${accessToken}` } }), 200, 'userinfo');
  const claims = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()) as { acr?: string; amr?: string[] };
  return { acr: String(claims.acr), amr: claims.amr ?? [] };
}
