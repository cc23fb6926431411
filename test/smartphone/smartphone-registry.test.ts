import { AccessRegistry } from '../../src/registry/access-registry.js';
import { accountIdFor } from '../../src/oidc/accounts.js';
import { DEMO_HOLDER } from '../../src/simulator/demo-environment.js';
import { openTestPglite } from '../support/pglite-template.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { temporaryKeys } from '../registry/support/registry-backends.js';
import { startRegistryStack, type RegistryStack } from '../registry/support/registry-stack.js';
import { finishByPhone, startSmartphone } from './support/phone-login.js';

// The provider with its access registry (PGlite in memory): the sign-in's record names the smartphone.
let registry: AccessRegistry;
let stack: RegistryStack;
let keys: Awaited<ReturnType<typeof temporaryKeys>>;

beforeAll(async () => {
  keys = await temporaryKeys();
  registry = new AccessRegistry(await openTestPglite(), keys.keys);
  await registry.ready();
  stack = await startRegistryStack(registry);
}, 180_000);

afterAll(async () => {
  await stack?.dispose();
  await registry?.close();
  await keys?.remove();
}, 60_000);

test('the access registry records a smartphone sign-in with its method, level and the card certificate that signed', async () => {
  const flow = new CardLoginFlow(stack);
  const page = await startSmartphone(flow.browser, stack.issuer, await flow.openLoginPage('openid profile'));
  const consent = await finishByPhone(flow.browser, stack.issuer, stack, page);
  expect(consent.url).toMatch(/\/interaction\/[^/]+\/cie\/complete\?ticket=/);
  await flow.finish(await flow.allowConsent(consent));

  const [signIn] = (await registry.listForAccount(accountIdFor(DEMO_HOLDER.fiscalCode))).filter((record) => record.kind === 'authentication');
  expect(signIn!.clientId).toBe(stack.rp.clientId);
  expect(signIn!.details).toMatchObject({ method: 'smartphone', outcome: 'authenticated', acr: 'https://www.spid.gov.it/SpidL3', amr: ['sc', 'pin', 'mfa'] });
  expect(signIn!.personal).toMatchObject({ certificate_serial: expect.stringMatching(/^[0-9a-f]+$/i) });
}, 60_000);
