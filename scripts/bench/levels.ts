// `npm run bench -- levels` (issue 19 items 2 and 6): the provider CPU of a level-1 password login, of the level-2
// logins (passkey; password + a push to the CieID app with number matching; the app's QR) beside the card login's
// (the floor), alternating in one run against one provider process; and each one's library alone in this process:
// scrypt at the production cost (the hash's share of the password login), @simplewebauthn/server's verification of
// one assertion, jose's verification of one device-signed request.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, importJWK } from 'jose';
import { generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { createCredentialsRoom, type CredentialsRoom } from '../../src/credentials/credentials-room.js';
import { DEFAULT_CREDENTIAL_LIMITS } from '../../src/credentials/credential-limits.js';
import { DEFAULT_SCRYPT_COST, PasswordHasher } from '../../src/credentials/password-hasher.js';
import { LocalOutbox } from '../../src/mail/local-outbox.js';
import { ACR } from '../../src/oidc/acr.js';
import { openPostgres } from '../../src/storage/database/postgres-database.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import { deviceRequest } from '../../src/simulator/app/device-jws.js';
import { newDeviceKey } from '../../src/simulator/app/device-key-store.js';
import { SoftwareAuthenticator } from '../../test/credentials/support/software-authenticator.js';
import { startPostgres, type PostgresHandle } from '../../test/support/local-postgres.js';
import { appQrLogin, enrolPhones, passwordAppLogin, PhonePool } from './levels-app-logins.js';
import { browserOn, expectStatus, finishToTokens, loginPageOf, prepareAt, UnexpectedAnswer } from './levels-browse.js';
import { runLogin, type PreparedLogin } from './login-driver.js';
import { closedLoop, percentile, type LoadRun } from './login-load.js';
import { startLoginBenchStack, type LoginBenchStack } from './login-stack.js';

const CONCURRENCY = 4;
const PHASES = 4;
const PHASE_LOGINS = 16;
const LIBRARY_ROUNDS = 12;
const EMAIL = 'mario.rossi@example.it';
const PASSWORD = 'Girasole2024x';
const CITIZEN = { fiscalCode: 'RSSMRA85T10A562S', acr: ACR.L3, claims: { given_name: 'Mario', family_name: 'Rossi', 'https://attributes.eid.gov.it/fiscal_number': 'TINIT-RSSMRA85T10A562S' } };

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

/**
 * One credentials login as a browser and the RP do it: authorize, login page, the method's button, its page,
 * its form (`answer` builds the fields from the page), then completion, consent, token and userinfo as the
 * card login does them. Returns the ID token's acr, checked by the caller.
 */
async function credentialsLogin(stack: LoginBenchStack, prepared: PreparedLogin, pathName: string, answer: (page: string) => Record<string, string>): Promise<string> {
  const browse = browserOn(stack);
  const interactionUrl = await loginPageOf(browse, prepared);
  const started = await browse(`${interactionUrl}/${pathName}`, { method: 'POST', form: {} });
  expectStatus(started, 303, `${pathName} start`);
  const page = await browse(started.location ?? '');
  expectStatus(page, 200, `${pathName} page`);
  const submitted = await browse(new URL(started.location ?? '', stack.issuer).pathname, { method: 'POST', form: answer(page.body) });
  expectStatus(submitted, 303, `${pathName} submit`);
  return (await finishToTokens(stack, browse, prepared, submitted.location ?? '')).acr;
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

/** jose alone, as the provider checks a device-signed request: import the stored JWK, verify the ES256 compact JWS. */
async function deviceRequestAlone(): Promise<() => Promise<unknown>> {
  const key = newDeviceKey();
  const jws = await deviceRequest({ origin: 'http://localhost:9', deviceId: 'd'.repeat(32), privateKey: key.privateKey });
  return async () => compactVerify(jws, await importJWK({ ...key.publicJwk }, 'ES256'), { algorithms: ['ES256'] });
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
    const phones = new PhonePool(await enrolPhones(room, outbox, CONCURRENCY));
    // The provider on the same database and the same credentials keys; the per-address limits off (every login comes from 127.0.0.1).
    stack = await startLoginBenchStack(CONCURRENCY, [], { DATABASE_URL: postgres.url, KEYS_DIR: keysDir, PASSWORD_ATTEMPTS_PER_IP: '0', PASSKEY_CEREMONIES_PER_IP: '0', CARD_REQUESTS_PER_IP: '0', EMAIL_SECOND_FACTOR: 'false' });
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
    const appLevelTwo = (what: string, login: typeof passwordAppLogin, amr: string) => (prepared: PreparedLogin) => phones.with(async (phone) => {
      const outcome = await login(s, prepared, phone);
      if (outcome.acr !== ACR.L2 || !outcome.amr.includes(amr)) throw new UnexpectedAnswer(`${what} answered acr ${outcome.acr}, amr ${outcome.amr.join(' ')}`);
    });
    const push = appLevelTwo('password + push', passwordAppLogin, 'pwd');
    const qr = appLevelTwo('app QR', appQrLogin, 'swk');
    const verifyDeviceRequest = await deviceRequestAlone();
    const hasher = new PasswordHasher(DEFAULT_SCRYPT_COST);
    const stored = await hasher.hash(PASSWORD);
    const verifyPasskey = await passkeyLibraryAlone();
    // Warm-up (JIT, the RP's caches, the database's connections).
    await providerCpuMsPerLogin(s, 'warm-up card', ACR.L3, card);
    await providerCpuMsPerLogin(s, 'warm-up password', ACR.L1, password);
    await providerCpuMsPerLogin(s, 'warm-up passkey', ACR.L2, passkey);
    await providerCpuMsPerLogin(s, 'warm-up push', ACR.L2, push);
    await providerCpuMsPerLogin(s, 'warm-up QR', ACR.L2, qr);
    const cardMs: number[] = [];
    const passwordMs: number[] = [];
    const passkeyMs: number[] = [];
    const hashMs: number[] = [];
    const libraryMs: number[] = [];
    const pushMs: number[] = [];
    const qrMs: number[] = [];
    const joseMs: number[] = [];
    for (let phase = 0; phase < PHASES; phase += 1) {
      cardMs.push(await providerCpuMsPerLogin(s, 'card phase', ACR.L3, card));
      passwordMs.push(await providerCpuMsPerLogin(s, 'password phase', ACR.L1, password));
      hashMs.push(await cpuMsPerCall(LIBRARY_ROUNDS / 4, () => hasher.verify(PASSWORD, stored)));
      passkeyMs.push(await providerCpuMsPerLogin(s, 'passkey phase', ACR.L2, passkey));
      libraryMs.push(await cpuMsPerCall(LIBRARY_ROUNDS * 10, verifyPasskey));
      pushMs.push(await providerCpuMsPerLogin(s, 'push phase', ACR.L2, push));
      qrMs.push(await providerCpuMsPerLogin(s, 'QR phase', ACR.L2, qr));
      joseMs.push(await cpuMsPerCall(LIBRARY_ROUNDS * 10, verifyDeviceRequest));
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
      `    password + push to the CieID app, level 2 (number matching; 2 device-signed requests): ${spread(pushMs)} = ${fixed(median(pushMs) / median(cardMs))} × the card login, ${fixed(median(pushMs) - passwordMedian)} ms beyond the password login`,
      `    the CieID app's QR, level 2 (no password; 2 device-signed requests): ${spread(qrMs)} = ${fixed(median(qrMs) / median(cardMs), 2)} × the card login`,
      `Libraries alone, in the bench process, one at a time (CPU of all threads; median of phases' medians)`,
      `    scrypt verify of one password (PasswordHasher, the production cost): ${spread(hashMs)}`,
      `    @simplewebauthn/server verifyAuthenticationResponse of one assertion: ${fixed(median(libraryMs), 2)} ms (${fixed(Math.min(...libraryMs), 2)}–${fixed(Math.max(...libraryMs), 2)}) = ${fixed((100 * median(libraryMs)) / median(passkeyMs))} % of the passkey login`,
      `    jose compactVerify of one device-signed request (ES256, key imported from the stored JWK): ${fixed(median(joseMs), 2)} ms (${fixed(Math.min(...joseMs), 2)}–${fixed(Math.max(...joseMs), 2)}) = ${fixed((100 * 2 * median(joseMs)) / median(qrMs))} % of the QR login for its two requests`,
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
