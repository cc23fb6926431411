// `npm run bench -- levels` (issue 19 item 6): the provider CPU of a level-1 password login and of a level-2
// passkey login beside the card login's (the floor), alternating in one run against one provider process; and
// each one's library alone in this process: scrypt at the production cost (the hash's share of the password
// login) and @simplewebauthn/server's verification of one assertion.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import * as client from 'openid-client';
import { createCredentialsRoom, type CredentialsRoom } from '../../src/credentials/credentials-room.js';
import { DEFAULT_CREDENTIAL_LIMITS } from '../../src/credentials/credential-limits.js';
import { DEFAULT_SCRYPT_COST, PasswordHasher } from '../../src/credentials/password-hasher.js';
import { LocalOutbox } from '../../src/mail/local-outbox.js';
import { ACR } from '../../src/oidc/acr.js';
import { openPostgres } from '../../src/storage/database/postgres-database.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import { SoftwareAuthenticator } from '../../test/credentials/support/software-authenticator.js';
import { startPostgres, type PostgresHandle } from '../../test/support/local-postgres.js';
import { clientAssertion, clientAuthFields } from './login-client-auth.js';
import { LoginCookieJar } from './login-cookie-jar.js';
import { runLogin, type PreparedLogin } from './login-driver.js';
import { httpRequest, type HttpAnswer } from './login-http.js';
import { closedLoop, percentile, type LoadRun } from './login-load.js';
import { startLoginBenchStack, type LoginBenchStack } from './login-stack.js';

const CONCURRENCY = 4;
const PHASES = 4;
const PHASE_LOGINS = 16;
const LIBRARY_ROUNDS = 12;
const SCOPE = 'openid profile';
const EMAIL = 'mario.rossi@example.it';
const PASSWORD = 'Girasole2024x';
const CITIZEN = { fiscalCode: 'RSSMRA85T10A562S', acr: ACR.L3, claims: { given_name: 'Mario', family_name: 'Rossi', 'https://attributes.eid.gov.it/fiscal_number': 'TINIT-RSSMRA85T10A562S' } };

class UnexpectedAnswer extends Error {}
const expectStatus = (answer: HttpAnswer, status: number, step: string) => {
  if (answer.status !== status) throw new UnexpectedAnswer(`${step}: HTTP ${answer.status}, expected ${status}`);
};

/** Free authenticators, one per login in flight (a passkey's signature counter must reach the provider in order). */
class AuthenticatorPool {
  constructor(private readonly free: SoftwareAuthenticator[]) {}
  async with<T>(work: (authenticator: SoftwareAuthenticator) => Promise<T>): Promise<T> {
    const authenticator = this.free.pop();
    if (!authenticator) throw new Error('more logins in flight than authenticators');
    try {
      return await work(authenticator);
    } finally {
      this.free.push(authenticator);
    }
  }
}

/** A login prepared for `acr` (request object and client assertion signed before the timed run), as prepareLogin does for level 3. */
async function prepareAt(stack: LoginBenchStack, acr: string): Promise<PreparedLogin> {
  const codeVerifier = client.randomPKCECodeVerifier();
  const pending = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier };
  const outside = { scope: SCOPE, code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256', response_type: 'code' };
  const url = await client.buildAuthorizationUrlWithJAR(stack.rp.config, { ...outside, redirect_uri: stack.rp.redirectUri, state: pending.state, nonce: pending.nonce, prompt: 'consent login', acr_values: acr }, { key: stack.rp.keys.signing.key, kid: stack.rp.keys.signing.kid });
  for (const [name, value] of Object.entries(outside)) url.searchParams.set(name, value);
  return { url, pending, clientAssertion: await clientAssertion({ clientId: stack.rp.clientId, issuer: stack.issuer, signing: stack.rp.keys.signing }) };
}

/**
 * One credentials login as a browser and the RP do it: authorize, login page, the method's button, its page,
 * its form (`answer` builds the fields from the page), then completion, consent, token and userinfo as the
 * card login does them. Returns the ID token's acr, checked by the caller.
 */
async function credentialsLogin(stack: LoginBenchStack, prepared: PreparedLogin, pathName: string, answer: (page: string) => Record<string, string>): Promise<string> {
  const jar = new LoginCookieJar();
  const browse = async (url: string, init: { method?: string; form?: Record<string, string> } = {}) => {
    const response = await httpRequest(new URL(url, stack.issuer), { method: init.method ?? 'GET', headers: { accept: 'text/html', cookie: jar.header(), ...(init.form ? { origin: stack.issuer } : {}) }, ...(init.form ? { form: init.form } : {}) });
    jar.take(response.setCookies);
    return response;
  };
  const authorized = await browse(prepared.url.href);
  expectStatus(authorized, 303, 'authorize');
  const interactionUrl = authorized.location ?? '';
  expectStatus(await browse(interactionUrl), 200, 'login page');
  const started = await browse(`${interactionUrl}/${pathName}`, { method: 'POST', form: {} });
  expectStatus(started, 303, `${pathName} start`);
  const page = await browse(started.location ?? '');
  expectStatus(page, 200, `${pathName} page`);
  const submitted = await browse(new URL(started.location ?? '', stack.issuer).pathname, { method: 'POST', form: answer(page.body) });
  expectStatus(submitted, 303, `${pathName} submit`);
  const completed = await browse(submitted.location ?? '');
  expectStatus(completed, 303, 'completion');
  const resumed = await browse(completed.location ?? '');
  expectStatus(resumed, 303, 'resume after login');
  const consentUrl = resumed.location ?? '';
  expectStatus(await browse(consentUrl), 200, 'consent page');
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
  return String((JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()) as { acr?: string }).acr);
}

const decodeHtml = (text: string) => text.replace(/&#34;|&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function failIfBroken(run: LoadRun<unknown>, what: string): void {
  if (run.results.length === 0 || run.failures > 0) throw new Error(`${what}: ${run.failures} failures, first: ${run.firstFailure}`);
}

async function providerCpuMsPerLogin(stack: LoginBenchStack, what: string, acr: string, work: (login: PreparedLogin) => Promise<unknown>): Promise<number> {
  const logins: PreparedLogin[] = [];
  for (let i = 0; i < PHASE_LOGINS; i += 1) logins.push(await prepareAt(stack, acr));
  const before = stack.provider.cpuSeconds();
  const run = await closedLoop(logins, CONCURRENCY, work);
  const cpu = stack.provider.cpuSeconds() - before;
  failIfBroken(run, what);
  return (1000 * cpu) / run.results.length;
}

/** CPU of this process (all threads: scrypt runs on libuv's pool) per call of `work`, one at a time; median of rounds. */
async function cpuMsPerCall(rounds: number, work: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const before = process.cpuUsage();
    await work();
    const spent = process.cpuUsage(before);
    samples.push((spent.user + spent.system) / 1000);
  }
  return percentile(samples, 0.5);
}

/** The passkey library alone: @simplewebauthn/server verifying one assertion of a registered ES256 key, as passkeys.ts asks it. */
async function passkeyLibraryAlone(): Promise<() => Promise<unknown>> {
  const at = { origin: 'http://localhost:9', rpId: 'localhost' };
  const authenticator = new SoftwareAuthenticator();
  const options = await generateRegistrationOptions({ rpName: 'bench', rpID: at.rpId, userName: 'bench', userID: new Uint8Array(16), authenticatorSelection: { residentKey: 'required', userVerification: 'required' } });
  const registered = await verifyRegistrationResponse({ response: authenticator.create(options, at), expectedChallenge: options.challenge, expectedOrigin: at.origin, expectedRPID: at.rpId, requireUserVerification: true });
  if (!registered.verified) throw new Error('the bench authenticator did not register');
  const credential = registered.registrationInfo.credential;
  return async () => {
    const challenge = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
    const result = await verifyAuthenticationResponse({ response: authenticator.get(challenge, at), expectedChallenge: challenge, expectedOrigin: at.origin, expectedRPID: at.rpId, credential: { ...credential, counter: 0 }, requireUserVerification: true });
    if (!result.verified) throw new Error('not verified');
  };
}

/** The citizen's credentials and CONCURRENCY passkeys, put in the provider's database as the account page would after a card sign-in. */
async function enrol(room: CredentialsRoom, outbox: LocalOutbox, at: { origin: string; rpId: string }): Promise<SoftwareAuthenticator[]> {
  const codeId = await room.activation.begin(CITIZEN, { usernameKind: 'email', email: EMAIL, password: PASSWORD }, 'it');
  await room.activation.confirm(CITIZEN, codeId, /\b(\d{6})\b/.exec(outbox.list(EMAIL)[0]?.text ?? '')?.[1] ?? '');
  const authenticators: SoftwareAuthenticator[] = [];
  for (let i = 0; i < CONCURRENCY; i += 1) {
    const authenticator = new SoftwareAuthenticator();
    const { ceremonyId, options } = await room.passkeys.registrationOptions(CITIZEN);
    await room.passkeys.register(CITIZEN, ceremonyId, authenticator.create(options, at), `bench ${i}`);
    authenticators.push(authenticator);
  }
  return authenticators;
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const median = (values: number[]) => percentile(values, 0.5);
const spread = (values: number[]) => `${fixed(median(values))} ms (${fixed(Math.min(...values))}–${fixed(Math.max(...values))})`;

export async function runLevelsBenchmark(): Promise<string> {
  let postgres: PostgresHandle;
  try {
    postgres = await startPostgres();
  } catch (error) {
    return `skipped — no PostgreSQL for the provider and the bench to share (${(error as Error).message})`;
  }
  const keysDir = await mkdtemp(join(tmpdir(), 'cie-bench-levels-'));
  const database = openPostgres(postgres.url, { maxConnections: 2 });
  let stack: LoginBenchStack | undefined;
  try {
    const outbox = new LocalOutbox();
    const room = await createCredentialsRoom({
      database: async () => database,
      keysDir,
      generateKeys: true,
      // The origin is the provider's only at sign-in; the stored passkey does not depend on it.
      settings: { smtpUrl: '', mailFrom: 'bench@localhost', scrypt: DEFAULT_SCRYPT_COST, emailSecondFactor: false, limits: DEFAULT_CREDENTIAL_LIMITS, passkeys: { origin: 'http://localhost:9', rpId: 'localhost', rpName: 'bench' } },
      store: new MemoryStateStore(),
      mailer: outbox,
    });
    const authenticators = new AuthenticatorPool(await enrol(room, outbox, { origin: 'http://localhost:9', rpId: 'localhost' }));
    // The provider on the same database and the same credentials keys; the per-address limits off (every login comes from 127.0.0.1).
    stack = await startLoginBenchStack(CONCURRENCY, [], { DATABASE_URL: postgres.url, KEYS_DIR: keysDir, PASSWORD_ATTEMPTS_PER_IP: '0', PASSKEY_CEREMONIES_PER_IP: '0', EMAIL_SECOND_FACTOR: 'false' });
    const s = stack;
    const at = { origin: new URL(s.issuer).origin, rpId: 'localhost' };
    const card = (login: PreparedLogin) => runLogin(s, login, { offlineAccess: false });
    const password = async (login: PreparedLogin) => {
      const acr = await credentialsLogin(s, login, 'password', () => ({ username: EMAIL, password: PASSWORD }));
      if (acr !== ACR.L1) throw new UnexpectedAnswer(`password login answered acr ${acr}`);
    };
    const passkey = (login: PreparedLogin) => authenticators.with(async (authenticator) => {
      const acr = await credentialsLogin(s, login, 'passkey', (page) => {
        const options = JSON.parse(decodeHtml(/data-webauthn-options="([^"]*)"/.exec(page)?.[1] ?? '{}')) as { challenge: string };
        return { response: JSON.stringify(authenticator.get(options.challenge, at)) };
      });
      if (acr !== ACR.L2) throw new UnexpectedAnswer(`passkey login answered acr ${acr}`);
    });
    const hasher = new PasswordHasher(DEFAULT_SCRYPT_COST);
    const stored = await hasher.hash(PASSWORD);
    const verifyPasskey = await passkeyLibraryAlone();
    // Warm-up (JIT, the RP's caches, the database's connections).
    await providerCpuMsPerLogin(s, 'warm-up card', ACR.L3, card);
    await providerCpuMsPerLogin(s, 'warm-up password', ACR.L1, password);
    await providerCpuMsPerLogin(s, 'warm-up passkey', ACR.L2, passkey);
    const cardMs: number[] = [];
    const passwordMs: number[] = [];
    const passkeyMs: number[] = [];
    const hashMs: number[] = [];
    const libraryMs: number[] = [];
    for (let phase = 0; phase < PHASES; phase += 1) {
      cardMs.push(await providerCpuMsPerLogin(s, 'card phase', ACR.L3, card));
      passwordMs.push(await providerCpuMsPerLogin(s, 'password phase', ACR.L1, password));
      hashMs.push(await cpuMsPerCall(LIBRARY_ROUNDS / 4, () => hasher.verify(PASSWORD, stored)));
      passkeyMs.push(await providerCpuMsPerLogin(s, 'passkey phase', ACR.L2, passkey));
      libraryMs.push(await cpuMsPerCall(LIBRARY_ROUNDS * 10, verifyPasskey));
    }
    const hash = median(hashMs);
    const passwordMedian = median(passwordMs);
    // The rest of a password login, estimated by its twin: a passkey login makes the same requests, pages and
    // database lookups, and its library's share is small and measured. (password − hash directly subtracts two
    // measurements whose noise, ±10 % of a second, is larger than the rest.)
    const rest = median(passkeyMs) - median(libraryMs);
    const lines = [
      `Provider CPU per login, one provider process (Redis, PostgreSQL), ${CONCURRENCY} clients, ${PHASES} alternating phases of ${PHASE_LOGINS} logins each (median, min–max of phases); each login = authorize … userinfo`,
      `    floor — card login, level 3 (bridge assertion signed by the load generator): ${spread(cardMs)}`,
      `    password login, level 1 (scrypt ln=${DEFAULT_SCRYPT_COST.logN}, r=${DEFAULT_SCRYPT_COST.r}, p=${DEFAULT_SCRYPT_COST.p}): ${spread(passwordMs)} = ${fixed(passwordMedian / median(cardMs))} × the card login`,
      `    passkey login, level 2 (ES256, user verification): ${spread(passkeyMs)} = ${fixed(median(passkeyMs) / median(cardMs), 2)} × the card login`,
      `Libraries alone, in the bench process, one at a time (CPU of all threads; median of phases' medians)`,
      `    scrypt verify of one password (PasswordHasher, the production cost): ${spread(hashMs)}`,
      `    @simplewebauthn/server verifyAuthenticationResponse of one assertion: ${fixed(median(libraryMs), 2)} ms (${fixed(Math.min(...libraryMs), 2)}–${fixed(Math.max(...libraryMs), 2)}) = ${fixed((100 * median(libraryMs)) / median(passkeyMs))} % of the passkey login`,
      `The hash in the password login: hash alone ÷ password login = ${fixed((100 * hash) / passwordMedian)} % (two measurements, each varying ±10 % between phases)`,
      `    the rest, estimated as the passkey login without its library: ${fixed(rest)} ms, so the hash is ${fixed((100 * hash) / (hash + rest))} % of a password login and costs ${fixed(hash / rest)} × everything else it does`,
    ];
    return lines.join('\n');
  } finally {
    await stack?.close();
    await database.close();
    await postgres.stop();
    await rm(keysDir, { recursive: true, force: true });
  }
}
