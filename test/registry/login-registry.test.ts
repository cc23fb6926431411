import * as client from 'openid-client';
import { AccessRegistry } from '../../src/registry/access-registry.js';
import { openPostgres } from '../../src/storage/database/postgres-database.js';
import { accountIdFor } from '../../src/oidc/accounts.js';
import { DEMO_HOLDER, DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { spawnPostgres, type PostgresHandle } from '../support/postgres-server.js';
import { formIn } from '../support/test-browser.js';
import { temporaryKeys } from './support/registry-backends.js';
import { startRegistryStack, type RegistryStack } from './support/registry-stack.js';

// The provider with its access registry on a real PostgreSQL server, which the test kills and restarts.
let postgres: PostgresHandle;
let registry: AccessRegistry;
let stack: RegistryStack;
let keys: Awaited<ReturnType<typeof temporaryKeys>>;
const citizen = accountIdFor(DEMO_HOLDER.fiscalCode);

beforeAll(async () => {
  postgres = await spawnPostgres();
  keys = await temporaryKeys();
  registry = new AccessRegistry(openPostgres(postgres.url, { timeoutMs: 1000 }), keys.keys);
  await registry.ready();
  stack = await startRegistryStack(registry);
}, 180_000);

afterAll(async () => {
  await stack?.dispose();
  await registry?.close();
  await postgres?.stop();
  await keys?.remove();
}, 60_000);

test('a card login records the request, the sign-in, the consent and the token, userinfo and revocation exchanges', async () => {
  const before = (await registry.verify()).to;
  const flow = new CardLoginFlow(stack);
  const { callback } = await flow.loginWithPin(DEMO_PIN, 'openid profile');
  const { tokens } = await flow.finish(callback);
  await client.tokenRevocation(stack.rp.config, tokens.access_token);

  const records = (await registry.listForAccount(citizen)).filter((record) => record.seq > before).reverse();
  expect(records.map((record) => [record.kind, record.details.exchange ?? null])).toEqual([
    ['authentication', null],
    ['consent', null],
    ['exchange', 'token'],
    ['exchange', 'userinfo'],
    ['exchange', 'revocation'],
  ]);
  const [signIn, consent, token, userinfo, revocation] = records;
  expect(signIn!.clientId).toBe(stack.rp.clientId);
  expect(signIn!.details).toMatchObject({ method: 'cie-card', outcome: 'authenticated', acr: 'https://www.spid.gov.it/SpidL3', amr: ['sc', 'pin', 'mfa'], request_object_hash: expect.any(String) });
  expect(signIn!.personal).toMatchObject({ request_object: expect.stringMatching(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/), certificate_serial: expect.stringMatching(/^[0-9a-f]+$/i), attributes: expect.objectContaining({ given_name: DEMO_HOLDER.givenName }) });
  expect(consent!.details).toMatchObject({ attributes: expect.arrayContaining(['given_name', 'family_name']) });
  expect(token!.details).toMatchObject({ status: 200, grant_type: 'authorization_code', hashes: { presented_code: expect.any(String), issued_access_token: expect.any(String), issued_id_token: expect.any(String) } });
  expect(userinfo!.details).toMatchObject({ status: 200, hashes: { presented_access_token: expect.any(String), response: expect.any(String) } });
  expect(revocation!.details).toMatchObject({ status: 200, hashes: { presented_token: expect.any(String) } });
  // Tokens only by hash.
  const raw = JSON.stringify(await registry.database.query('SELECT * FROM registry_records'));
  expect(raw).not.toContain(tokens.access_token);
  expect(raw).not.toContain(DEMO_HOLDER.fiscalCode);
  expect(await registry.verify()).toMatchObject({ ok: true });
});

test('"I tuoi accessi" lists the sign-ins and consents; the download is the citizen\'s records and is recorded', async () => {
  const flow = new CardLoginFlow(stack);
  await flow.finish((await flow.loginWithPin(DEMO_PIN, 'openid profile')).callback);
  const signInPage = await flow.browser.get(`${stack.issuer}/account`);
  const pinPage = await flow.browser.post(new URL(formIn(signInPage.body, { action: /^\/account\/cie$/ }).action, stack.issuer).href, {}, stack.issuer);
  const page = await flow.forwardAssertion(await flow.enterPin(pinPage, DEMO_PIN));
  expect(page.body).toContain('Storico dei tuoi accessi');
  expect(page.body).toContain('Accesso con la CIE');
  expect(page.body).toContain('Livello 3');
  expect(page.body).toContain(stack.rp.clientId);
  // The sign-in to the page is itself kept (the citizen's management of their access).
  expect(page.body).toContain('Accesso a «I tuoi accessi»');
  expect((await registry.listForAccount(citizen, ['management'])).map((record) => record.details)).toEqual([{ action: 'account-sign-in' }]);

  const { fields } = formIn(page.body, { action: /^\/account\/history$/ });
  const csv = await flow.browser.post(`${stack.issuer}/account/history`, { ...fields, format: 'csv' }, stack.issuer);
  expect(csv.headers.get('content-type')).toContain('text/csv');
  expect(csv.headers.get('content-disposition')).toContain('accessi-cie.csv');
  expect(csv.body.split('\r\n')[0]).toBe('seq,recorded_at,kind,client_id,details,personal');
  expect(csv.body).toContain(DEMO_HOLDER.familyName);
  const json = await flow.browser.post(`${stack.issuer}/account/history`, { ...fields, format: 'json' }, stack.issuer);
  const { records } = JSON.parse(json.body) as { records: { kind: string }[] };
  expect(records.some((record) => record.kind === 'authentication')).toBe(true);
  expect(await registry.listForAccount(citizen, ['extraction'])).toHaveLength(2);
  // Without the session's CSRF token nothing is downloaded.
  const refused = await flow.browser.post(`${stack.issuer}/account/history`, { format: 'json' }, stack.issuer);
  expect(refused.status).toBe(403);
});

test('with the database down the login answers 503, nothing is half-written, and it works again once the database is back', async () => {
  const flow = new CardLoginFlow(stack);
  const loginPage = await flow.openLoginPage('openid profile');
  const forward = await flow.enterPin(await flow.clickEntraConCie(loginPage), DEMO_PIN);
  const head = (await registry.verify()).to;

  await postgres.kill();
  const outage = await flow.forwardAssertion(forward);
  expect(outage.status).toBe(503);
  expect(outage.headers.get('retry-after')).toBe('5');
  expect(outage.url).toContain('/interaction/');
  expect(outage.body).toContain('temporarily_unavailable');
  // A login cannot finish: the instance is not ready (load balancers stop sending citizens to it).
  expect((await fetch(`${stack.issuer}/readyz`)).status).toBe(503);

  await postgres.restart();
  expect((await registry.verify()).to).toBe(head);
  expect((await fetch(`${stack.issuer}/readyz`)).status).toBe(200);
  // The same interaction, without restarting the provider: a new card sign-in finishes the login.
  const again = await flow.forwardAssertion(await flow.enterPin(await flow.clickEntraConCie(await flow.browser.get(loginPage.url)), DEMO_PIN));
  const { tokens } = await flow.finish(await flow.allowConsent(again));
  expect(tokens.access_token).toEqual(expect.any(String));
  expect(await registry.verify()).toMatchObject({ ok: true, to: head + 4 });
});

test('with the database down the token request answers 503 and spends nothing: the same code works once it is back', async () => {
  const flow = new CardLoginFlow(stack);
  const { callback } = await flow.loginWithPin(DEMO_PIN, 'openid profile');
  const head = (await registry.verify()).to;
  await postgres.kill();
  const refused = await flow.finish(callback).then(() => undefined, (error: { cause?: Response }) => error.cause);
  expect(refused?.status).toBe(503);
  expect(refused?.headers.get('retry-after')).toBe('5');
  await postgres.restart();
  expect((await registry.verify()).to).toBe(head);
  const { tokens } = await flow.finish(callback);
  expect(tokens.access_token).toEqual(expect.any(String));
  const exchanges = (await registry.listForAccount(citizen, ['exchange'])).filter((record) => record.seq > head);
  expect(exchanges.map((record) => record.details.exchange).sort()).toEqual(['token', 'userinfo']);
});
