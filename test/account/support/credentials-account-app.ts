import Koa from 'koa';
import request from 'supertest';
import type { ManagementAction } from '../../../src/account/access-history.js';
import { staticAssets } from '../../../src/shared/static-assets.js';
import { accountRoutes } from '../../../src/account/account-routes.js';
import { AccountSessions } from '../../../src/account/account-sessions.js';
import { ACCOUNT_WAITER, accountSignInWaiter } from '../../../src/account/account-sign-in-waiter.js';
import type { AccountCredentials } from '../../../src/account/credentials/account-credentials.js';
import { ContactChange } from '../../../src/credentials/contact-change.js';
import { CredentialActivation } from '../../../src/credentials/credential-activation.js';
import { CredentialLimits } from '../../../src/credentials/credential-limits.js';
import { CredentialStore } from '../../../src/credentials/credential-store.js';
import { newCredentialsKeys } from '../../../src/credentials/credentials-keys.js';
import { DEFAULT_EMAIL_CODE_POLICY, EmailCodes } from '../../../src/credentials/email-codes.js';
import { PasswordHasher } from '../../../src/credentials/password-hasher.js';
import type { BreachedPasswordCheck } from '../../../src/credentials/password-policy.js';
import { PasswordSignIn } from '../../../src/credentials/password-sign-in.js';
import { Passkeys } from '../../../src/credentials/passkeys.js';
import { UsernameChange } from '../../../src/credentials/username-change.js';
import { LocalOutbox } from '../../../src/mail/local-outbox.js';
import { ACR } from '../../../src/oidc/acr.js';
import { noCardRateLimits } from '../../../src/sign-in/card/card-rate-limits.js';
import { CompletionTickets } from '../../../src/sign-in/completion-tickets.js';
import type { SignInBinding } from '../../../src/sign-in/sign-in-binding.js';
import type { SignInMethod } from '../../../src/sign-in/sign-in-method.js';
import type { Database } from '../../../src/storage/database/database.js';
import { MemoryStateStore } from '../../../src/storage/state/memory-state-store.js';
import { TEST_SCRYPT_COST } from '../../credentials/support/credentials-backends.js';
import { decodeHtml } from '../../support/test-browser.js';

export const ORIGIN = 'http://localhost';
export const PASSKEY_SETTINGS = { origin: ORIGIN, rpId: 'localhost', rpName: 'Entra con CIE' };

/**
 * The account page with the credentials room over one database, and two sign-in methods of the
 * test's own: `cie` (level 3, as the card) and `weak` (level 2): each start is recorded, and the test
 * issues the ticket a method would (the card itself is tested elsewhere).
 */
export function credentialsAccountWorld(db: Database, options: { outboxPage?: boolean; origin?: string; cardCitizen?: { fiscalCode: string; claims: Record<string, unknown> }; breachedPasswords?: BreachedPasswordCheck; now?: () => number } = {}) {
  const state = new MemoryStateStore();
  const tickets = new CompletionTickets(state, { consume: async () => undefined });
  const keys = newCredentialsKeys();
  const store = new CredentialStore(db, keys);
  const hasher = new PasswordHasher(TEST_SCRYPT_COST);
  const outbox = new LocalOutbox();
  const codes = new EmailCodes(store, keys, outbox, DEFAULT_EMAIL_CODE_POLICY, options.now);
  const signIn = new PasswordSignIn(store, hasher);
  const credentials: AccountCredentials & { signIn: PasswordSignIn; outbox: LocalOutbox } = {
    store,
    hasher,
    codes,
    activation: new CredentialActivation(store, hasher, codes, options.breachedPasswords),
    contactChange: new ContactChange(store, codes, outbox),
    usernameChange: new UsernameChange(store, codes),
    passkeys: new Passkeys(store, state, options.origin ? { ...PASSKEY_SETTINGS, origin: options.origin } : PASSKEY_SETTINGS),
    limits: new CredentialLimits(state),
    ...(options.breachedPasswords ? { breachedPasswords: options.breachedPasswords } : {}),
    signIn,
    outbox,
  };
  const started: SignInBinding[] = [];
  const method = (pathName: string, level: 2 | 3): SignInMethod => ({
    id: `test-${pathName}`,
    level,
    pathName,
    choiceView: 'sign-in/card-choice',
    start: async (ctx, binding) => {
      started.push(binding);
      ctx.status = 204;
      // A browser test's card: the citizen it names is verified at once (the card is tested elsewhere).
      if (options.cardCitizen && level === 3) {
        const ticket = await tickets.issue(binding, { kind: 'verified', citizen: { method: 'test-cie', ...options.cardCitizen, acr: ACR.L3, amr: ['sc', 'pin', 'mfa'] } });
        ctx.redirect(`/account/cie/complete?ticket=${ticket}`);
      }
    },
    failureMessage: (code) => code,
    routes: undefined as never,
  });
  const managed: ManagementAction[] = [];
  const app = new Koa();
  app.keys = ['test cookie key'];
  app.silent = true;
  app.use(staticAssets('/assets'));
  app.use(accountRoutes({
    methods: [method('cie', 3), method('weak', 2)],
    perNetwork: noCardRateLimits().perNetwork,
    waiters: { [ACCOUNT_WAITER]: accountSignInWaiter },
    tickets,
    signInTtlSeconds: 300,
    sessions: new AccountSessions(state),
    offlineAccess: { list: async () => [], withdraw: async () => 0 },
    history: {
      list: async () => [],
      download: async () => [],
      manage: async (entry) => {
        managed.push(entry.action);
      },
    },
    credentials,
    outboxPage: options.outboxPage ?? true,
  }).routes());

  /** A browser signed in to the page: with the card (level 3) unless `weak`. */
  async function signedIn(citizen: { fiscalCode: string; claims: Record<string, unknown> }, how: 'cie' | 'weak' = 'cie') {
    const browser = request.agent(app.callback());
    await browser.post(`/account/${how}`).expect(204);
    const acr = how === 'cie' ? ACR.L3 : ACR.L2;
    const ticket = await tickets.issue(started.at(-1)!, { kind: 'verified', citizen: { method: `test-${how}`, fiscalCode: citizen.fiscalCode, claims: citizen.claims, acr, amr: [] } });
    await browser.get(`/account/cie/complete?ticket=${ticket}`).expect(303);
    const page = await browser.get('/account').expect(200);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!;
    return { browser, csrf };
  }

  return { app, state, store, codes, outbox, credentials, signIn, managed, signedIn, close: () => state.close() };
}

/** The code of the newest mail to `to`, read from the demo's outbox page as a citizen of the demo would. */
export async function codeFromOutboxPage({ browser }: { browser: request.Agent }, to: string): Promise<string> {
  const page = await browser.get('/dev/outbox').expect(200);
  const mail = new RegExp(`<article class="outbox-mail mb-4" data-to="${to.replace(/\./g, '\\.')}">([\\s\\S]*?)</article>`).exec(page.text);
  return /\b(\d{6})\b/.exec(decodeHtml(mail?.[1] ?? ''))?.[1] ?? '';
}
