import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as client from 'openid-client';
import type Provider from 'oidc-provider';
import type { AdapterFactory, ClientMetadata } from 'oidc-provider';
import type { TokenLifetimes } from '../../../src/oidc/token-lifetimes.js';
import { ChallengeStore } from '../../../src/cie/challenge-store.js';
import { freePort } from '../../../src/shared/free-port.js';
import { closeNow, listen } from '../../../src/shared/http-server.js';
import { discoverProvider, relyingPartyMetadata } from '../../../src/demo-rp/rp-client.js';
import { loadRelyingPartyKeys, type RelyingPartyKeys } from '../../../src/demo-rp/rp-keys.js';
import type { CardLoginVerifier, VerifiedCardLogin } from '../../../src/sign-in/card/card-login-verifier.js';
import { CompletionTickets } from '../../../src/sign-in/completion-tickets.js';
import { bindingKey } from '../../../src/sign-in/binding-key.js';
import { createCardSignIn } from '../../../src/sign-in/card/card-sign-in.js';
import { noCardRateLimits } from '../../../src/sign-in/card/card-rate-limits.js';
import type { SignInMethod } from '../../../src/sign-in/sign-in-method.js';
import { INTERACTION_WAITER, interactionBinding, interactionWaiter } from '../../../src/interaction/interaction-waiter.js';
import { OfflineGrantIndex } from '../../../src/storage/state/offline-grant-index.js';
import { interactionRoutes } from '../../../src/interaction/routes.js';
import type { LoginRecords } from '../../../src/interaction/login-records.js';
import { AccountStore } from '../../../src/oidc/accounts.js';
import { createProvider, type ProviderDeps } from '../../../src/oidc/provider.js';
import { loadProviderKeys, type ProviderKeys } from '../../../src/oidc/provider-keys.js';
import { MemoryStateStore } from '../../../src/storage/state/memory-state-store.js';
import type { FixedWindowLimiter } from '../../../src/storage/state/rate-limiter.js';
import type { StateStore } from '../../../src/storage/state-store.js';
import type { TokenSigningAlg } from '../../../src/config/config.js';

export interface TestRp {
  clientId: string;
  redirectUri: string;
  metadata: ClientMetadata;
  keys: RelyingPartyKeys;
  config: client.Configuration;
}

export interface ProfileStack {
  issuer: string;
  provider: Provider;
  /** The demo RP as registered by the demo (signed+encrypted userinfo). */
  rp: TestRp;
  /** An RP that wants its ID tokens encrypted and signed with RS512. */
  encryptingRp: TestRp;
  /** An RP registered with `legacy_request_objects: true` (request objects without exp/jti). */
  legacyRp: TestRp;
  /** The provider's state (challenges, tickets, accounts), to inspect or age entries. */
  store: StateStore;
  close(): Promise<void>;
}

/**
 * A card login without a card: the "assertion" posted to /cie/assertion is the verified login
 * itself (with the interaction's uid as it was issued). Everything after the card (the card room's
 * assertion endpoint, interaction routes, consent, oidc-provider) is the real code.
 */
export const trustingVerifier: CardLoginVerifier = {
  verify: async (raw) => {
    const { interactionUid, ...login } = JSON.parse(raw) as Omit<VerifiedCardLogin, 'boundTo'> & { interactionUid: string };
    return { ...login, boundTo: bindingKey(interactionBinding(interactionUid)) };
  },
};

export const CITIZEN = {
  fiscalCode: 'RSSMRA85T10A562S',
  claims: {
    given_name: 'Mario',
    family_name: 'Rossi',
    birthdate: '1985-12-10',
    'https://attributes.eid.gov.it/fiscal_number': 'TINIT-RSSMRA85T10A562S',
    email: 'mario.rossi@example.it',
    email_verified: true,
  },
};


async function testRp(dir: string, name: string, origin: string, extra: Partial<ClientMetadata>): Promise<Omit<TestRp, 'config'>> {
  const keys = await loadRelyingPartyKeys(join(dir, `${name}.json`));
  const metadata = { ...relyingPartyMetadata(origin, name, keys), ...extra };
  return { clientId: origin, redirectUri: `${origin}/callback`, metadata, keys };
}

/** `adapter`: the oidc-provider storage (default this project's in-memory one). `httpsBehindProxy`: the issuer is https, served over http behind a (simulated) TLS proxy; no RP discovery. */
/** `keys`: the provider's keys (default generated afresh in the stack's own directory). */
/** `extraMethods`: sign-in methods offered after the card (tests of the login page's choice); `records`: where the login steps record (default nowhere). */
/** `perNetwork`: the per-network window every start counts in (default off). */
export async function startProfileStack(options: { records?: LoginRecords; extraMethods?: SignInMethod[]; perNetwork?: FixedWindowLimiter; httpsBehindProxy?: boolean; adapter?: AdapterFactory; lifetimes?: Partial<TokenLifetimes>; tokenSigningAlg?: TokenSigningAlg; keys?: ProviderKeys; jwtLifetimes?: ProviderDeps['jwtLifetimes'] } = {}): Promise<ProfileStack> {
  const dir = await mkdtemp(join(tmpdir(), 'cie-profile-'));
  const port = await freePort();
  const listenUrl = `http://localhost:${port}`;
  const issuer = options.httpsBehindProxy ? `https://localhost:${port}` : listenUrl;
  const store = new MemoryStateStore();
  const accounts = new AccountStore(store, { lookup: async () => ({}) }, 3600);
  const rp = await testRp(dir, 'rp', 'http://rp.localhost:4001', {});
  const encryptingRp = await testRp(dir, 'rp-enc', 'http://rp-enc.localhost:4002', {
    id_token_signed_response_alg: 'RS512',
    id_token_encrypted_response_alg: 'RSA-OAEP',
    id_token_encrypted_response_enc: 'A128CBC-HS256',
  });
  const legacyRp = await testRp(dir, 'rp-legacy', 'http://rp-legacy.localhost:4003', { legacy_request_objects: true } as Partial<ClientMetadata>);
  const provider = createProvider({
    issuer,
    keys: options.keys ?? (await loadProviderKeys(join(dir, 'keys'), true)),
    clients: [rp.metadata, encryptingRp.metadata, legacyRp.metadata],
    accounts,
    clockToleranceSeconds: 5,
    sessionTtlSeconds: 3600,
    adapter: options.adapter,
    lifetimes: options.lifetimes,
    tokenSigningAlg: options.tokenSigningAlg,
    jwtLifetimes: options.jwtLifetimes,
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<p data-error="${out.error}">${out.error_description ?? ''}</p>`;
    },
  });
  provider.proxy = options.httpsBehindProxy ?? false;
  const challenges = new ChallengeStore(store, 300);
  const tickets = new CompletionTickets(store, challenges);
  const waiters = { [INTERACTION_WAITER]: interactionWaiter };
  const rateLimits = noCardRateLimits();
  const card = createCardSignIn({
    origin: issuer,
    bridgeUrl: 'http://127.0.0.1:9',
    challenges,
    tickets,
    verifier: trustingVerifier,
    waiters,
    rateLimits,
  });
  provider.use(card.routes.routes());
  // The extra methods' own endpoints (a password or passkey page), mounted before the server composes its middleware.
  for (const method of options.extraMethods ?? []) provider.use(method.routes.routes());
  provider.use(interactionRoutes({
    provider,
    methods: [card, ...(options.extraMethods ?? [])],
    perNetwork: options.perNetwork ?? rateLimits.perNetwork,
    waiters,
    tickets,
    offlineGrants: new OfflineGrantIndex(store),
    accounts,
    ...(options.records ? { records: options.records } : {}),
  }).routes());
  const server = createServer(provider.callback());
  await listen(server, port, '127.0.0.1');
  const discover = async (r: Omit<TestRp, 'config'>) => ({ ...r, config: await discoverProvider(issuer, r.metadata, r.keys) });
  return {
    issuer,
    provider,
    rp: issuer === listenUrl ? await discover(rp) : { ...rp, config: undefined as never },
    encryptingRp: issuer === listenUrl ? await discover(encryptingRp) : { ...encryptingRp, config: undefined as never },
    legacyRp: issuer === listenUrl ? await discover(legacyRp) : { ...legacyRp, config: undefined as never },
    store,
    close: async () => {
      await closeNow(server);
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
