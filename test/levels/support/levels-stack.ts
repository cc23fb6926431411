import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as client from 'openid-client';
import { ChallengeStore } from '../../../src/cie/challenge-store.js';
import { createCredentialsRoom, type CredentialsRoom } from '../../../src/credentials/credentials-room.js';
import { DEFAULT_CREDENTIAL_LIMITS, type CredentialLimitSettings } from '../../../src/credentials/credential-limits.js';
import { completeLogin, type PendingLogin } from '../../../src/demo-rp/rp-client.js';
import { INTERACTION_WAITER, interactionWaiter } from '../../../src/interaction/interaction-waiter.js';
import type { LoginRecords } from '../../../src/interaction/login-records.js';
import { LocalOutbox } from '../../../src/mail/local-outbox.js';
import { ACR } from '../../../src/oidc/acr.js';
import { CompletionTickets } from '../../../src/sign-in/completion-tickets.js';
import { createPasskeySignIn } from '../../../src/sign-in/passkey/passkey-sign-in.js';
import { createPasswordSignIns } from '../../../src/sign-in/password/password-sign-in.js';
import { MemoryStateStore } from '../../../src/storage/state/memory-state-store.js';
import { startProfileStack, type ProfileStack, type TestRp } from '../../profile/support/profile-stack.js';
import { openTestPglite } from '../../support/pglite-template.js';
import { formIn, TestBrowser, type BrowserResponse } from '../../support/test-browser.js';
import { TEST_SCRYPT_COST } from '../../credentials/support/credentials-backends.js';

export const CITIZEN = { fiscalCode: 'RSSMRA85T10A562S', claims: { given_name: 'Mario', family_name: 'Rossi', 'https://attributes.eid.gov.it/fiscal_number': 'TINIT-RSSMRA85T10A562S' } };
export const EMAIL = 'mario.rossi@example.it';
export const PASSWORD = 'Girasole2024x';

export interface LevelsStack {
  stack: ProfileStack;
  credentials: CredentialsRoom;
  outbox: LocalOutbox;
  /** The citizen's credentials activated after a (pretended) card sign-in: username = e-mail, confirmed. */
  activate(): Promise<void>;
  /** The newest code mailed to `to`. */
  lastCode(to?: string): string;
  close(): Promise<void>;
}

/**
 * The real interaction, card room and oidc-provider of the profile stack, plus the real password and
 * passkey methods on a credentials room over PGlite in memory. The methods are built before the stack
 * listens (they are its extra methods), so what depends on its address (the passkeys' origin, the
 * tickets on its store) is bound once it does.
 */
export async function startLevelsStack(options: { limits?: Partial<CredentialLimitSettings>; emailSecondFactor?: boolean; records?: LoginRecords } = {}): Promise<LevelsStack> {
  const late: { room?: CredentialsRoom; tickets?: CompletionTickets } = {};
  const credentials = {
    get signIn() { return late.room!.signIn; },
    get codes() { return late.room!.codes; },
    get limits() { return late.room!.limits; },
    get store() { return late.room!.store; },
    get passkeys() { return late.room!.passkeys; },
  };
  const tickets = { issue: (...args: Parameters<CompletionTickets['issue']>) => late.tickets!.issue(...args) } as unknown as CompletionTickets;
  const ceremonies = new MemoryStateStore();
  const waiters = { [INTERACTION_WAITER]: interactionWaiter };
  const methods = [
    createPasskeySignIn({ credentials, ceremonies, tickets, waiters }),
    ...createPasswordSignIns({ credentials, ceremonies, tickets, waiters, emailSecondFactor: options.emailSecondFactor ?? true }),
  ];
  const stack = await startProfileStack({ extraMethods: methods, ...(options.records ? { records: options.records } : {}) });
  late.tickets = new CompletionTickets(stack.store, new ChallengeStore(stack.store, 300));
  const keysDir = await mkdtemp(join(tmpdir(), 'cie-levels-'));
  const outbox = new LocalOutbox();
  const db = await openTestPglite();
  late.room = await createCredentialsRoom({
    database: async () => db,
    keysDir,
    generateKeys: true,
    settings: {
      smtpUrl: '',
      mailFrom: 'test@localhost',
      scrypt: TEST_SCRYPT_COST,
      emailSecondFactor: options.emailSecondFactor ?? true,
      limits: { ...DEFAULT_CREDENTIAL_LIMITS, ...options.limits },
      passkeys: { origin: stack.issuer, rpId: new URL(stack.issuer).hostname, rpName: 'Entra con CIE (test)' },
    },
    store: ceremonies,
    mailer: outbox,
  });
  const room = late.room;
  const lastCode = (to = EMAIL) => /\b(\d{6})\b/.exec(outbox.list(to)[0]?.text ?? '')?.[1] ?? '';
  const cardProof = { fiscalCode: CITIZEN.fiscalCode, acr: ACR.L3, claims: CITIZEN.claims };
  return {
    stack,
    credentials: room,
    outbox,
    activate: async () => {
      const codeId = await room.activation.begin(cardProof, { usernameKind: 'email', email: EMAIL, password: PASSWORD }, 'it');
      await room.activation.confirm(cardProof, codeId, lastCode());
    },
    lastCode,
    close: async () => {
      await stack.close();
      await db.close();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}

/**
 * The calling file's stack, the citizen's credentials activated: started before its tests, closed
 * after. The handle is filled in when the file starts.
 */
export function useActivatedLevelsStack(options: Parameters<typeof startLevelsStack>[0] = {}): LevelsStack {
  const handle = {} as LevelsStack;
  beforeAll(async () => {
    Object.assign(handle, await startLevelsStack(options));
    await handle.activate();
  }, 180_000);
  afterAll(async () => handle.close?.());
  return handle;
}

/** An openid-client authorization request (signed request object) asking for `acrValues`; `prompt` "consent login" unless told (plain "consent" lets a session be reused). */
export async function authorizationFor(rp: TestRp, acrValues: string, prompt: 'consent login' | 'consent' = 'consent login'): Promise<{ url: URL; pending: PendingLogin }> {
  const codeVerifier = client.randomPKCECodeVerifier();
  const pending = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier };
  const url = await client.buildAuthorizationUrlWithJAR(rp.config, {
    scope: 'openid profile',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    response_type: 'code',
    redirect_uri: rp.redirectUri,
    state: pending.state,
    nonce: pending.nonce,
    prompt,
    acr_values: acrValues,
  }, { key: rp.keys.signing.key, kid: rp.keys.signing.kid });
  return { url, pending };
}

/** The login page for `acrValues`: its uid and the start paths of the methods it offers, in order. */
export async function loginPage(levels: Pick<LevelsStack, 'stack'>, acrValues: string, browser = new TestBrowser(levels.stack.rp.redirectUri)) {
  const { url, pending } = await authorizationFor(levels.stack.rp, acrValues);
  const page = await browser.get(url.href);
  const uid = /\/interaction\/([^/?#]+)$/.exec(page.url)?.[1];
  if (page.status !== 200 || !uid) throw new Error(`no login page: ${page.status} ${page.url} ${page.body.slice(0, 300)}`);
  const starts = [...page.body.matchAll(/<form method="post" action="\/interaction\/[^/]+\/([^"]+)"/g)].map((match) => match[1]!);
  return { browser, page, uid, pending, starts };
}

/** Consent, then the RP's callback, then code → tokens → userinfo with openid-client. */
export async function consentAndTokens(levels: Pick<LevelsStack, 'stack'>, browser: TestBrowser, consent: BrowserResponse, pending: PendingLogin) {
  const { issuer, rp } = levels.stack;
  const { action, fields } = formIn(consent.body, { action: /\/confirm$/ });
  const callback = await browser.post(new URL(action, issuer).href, fields, issuer);
  if (!callback.url.startsWith(rp.redirectUri)) throw new Error(`no callback: ${callback.status} ${callback.url} ${callback.body.slice(0, 300)}`);
  return completeLogin(rp.config, new URL(callback.url), pending);
}
