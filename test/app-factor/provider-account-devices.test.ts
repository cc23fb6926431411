import { AppDevices } from '../../src/credentials/app-devices.js';
import { credentialsMigrations } from '../../src/credentials/credentials-migrations.js';
import { newCredentialsKeys } from '../../src/credentials/credentials-keys.js';
import type { Database } from '../../src/storage/database/database.js';
import { migrate } from '../../src/storage/database/migrate.js';
import { openTestPglite } from '../support/pglite-template.js';
import { CITIZEN, OTHER_CITIZEN } from '../credentials/support/credentials-backends.js';
import { credentialsAccountWorld } from '../account/support/credentials-account-app.js';

// "Dispositivi certificati" on the account page: the list, make default and withdraw, behind the card proof and the CSRF token.
let db: Database;
let devices: AppDevices;
let world: ReturnType<typeof credentialsAccountWorld>;
const key = (n: number) => ({ kty: 'EC' as const, crv: 'P-256' as const, x: String(n).padStart(43, 'A'), y: String(n).padStart(43, 'B') });

beforeAll(async () => {
  db = await openTestPglite();
  await migrate(db, credentialsMigrations);
}, 60_000);
afterAll(async () => db.close());
beforeEach(async () => {
  await db.query('DELETE FROM credential_app_devices');
  devices = new AppDevices(db, newCredentialsKeys());
  world = credentialsAccountWorld(db);
  world.credentials.appDevices = devices;
});
afterEach(async () => world.close());

test('the list shows each device with its dates and the default; another citizen\'s device is not there', async () => {
  const pixel = await devices.add({ identity: CITIZEN, publicJwk: key(1), name: 'Pixel di Mario' });
  await devices.add({ identity: CITIZEN, publicJwk: key(2), name: 'Tablet' });
  const foreign = await devices.add({ identity: OTHER_CITIZEN, publicJwk: key(3), name: 'Telefono di Laura' });
  const signed = await world.signedIn(CITIZEN);
  const page = await signed.browser.get('/account').expect(200);
  expect(page.text).toContain('id="app-devices"');
  expect(page.text).toContain(`data-device-id="${pixel.deviceId}"`);
  expect(page.text).toContain('Pixel di Mario');
  expect(page.text).toContain('Tablet');
  expect(page.text).toContain('mai usato');
  expect((page.text.match(/class="badge bg-primary app-device-default"/g) ?? []).length).toBe(1);
  expect(page.text).not.toContain(foreign.deviceId);
});

test('make default and withdraw: only the citizen\'s own devices, behind the CSRF token', async () => {
  const pixel = await devices.add({ identity: CITIZEN, publicJwk: key(1), name: 'Pixel' });
  const tablet = await devices.add({ identity: CITIZEN, publicJwk: key(2), name: 'Tablet' });
  const foreign = await devices.add({ identity: OTHER_CITIZEN, publicJwk: key(3), name: 'Laura' });
  const signed = await world.signedIn(CITIZEN);
  const index = devices.citizenIndex(CITIZEN.fiscalCode);

  await signed.browser.post('/account/app-devices/default').type('form').send({ csrf: signed.csrf, device_id: tablet.deviceId }).expect(303);
  expect((await devices.defaultOf(index))?.deviceId).toBe(tablet.deviceId);
  expect((await devices.devicesOf(index)).filter((device) => device.isDefault)).toHaveLength(1);

  const notMine = await signed.browser.post('/account/app-devices/withdraw').type('form').send({ csrf: signed.csrf, device_id: foreign.deviceId }).expect(404);
  expect(notMine.text).toContain('data-code="app_device_unknown"');
  expect(await devices.live(foreign.deviceId)).toBeDefined();
  await signed.browser.post('/account/app-devices/withdraw').type('form').send({ csrf: 'wrong', device_id: pixel.deviceId }).expect(403);
  expect(await devices.live(pixel.deviceId)).toBeDefined();

  // Withdrawing the default hands the role to the device left.
  await signed.browser.post('/account/app-devices/withdraw').type('form').send({ csrf: signed.csrf, device_id: tablet.deviceId }).expect(303);
  expect(await devices.live(tablet.deviceId)).toBeUndefined();
  expect((await devices.defaultOf(index))?.deviceId).toBe(pixel.deviceId);
  // Recorded as the citizen's management (the refused attempts are not).
  expect(world.managed.filter((action) => action.startsWith('app-device'))).toEqual(['app-device-default', 'app-device-withdrawn']);
  const done = await signed.browser.get('/account?done=app-device-withdrawn').expect(200);
  expect(done.text).toContain('Dispositivo revocato');
});

test('without a fresh card sign-in the changes are refused and no buttons are drawn', async () => {
  const pixel = await devices.add({ identity: CITIZEN, publicJwk: key(1), name: 'Pixel' });
  const weak = await world.signedIn(CITIZEN, 'weak');
  const page = await weak.browser.get('/account').expect(200);
  expect(page.text).toContain('Pixel');
  expect(page.text).not.toContain('/account/app-devices/withdraw');
  const refused = await weak.browser.post('/account/app-devices/withdraw').type('form').send({ csrf: weak.csrf, device_id: pixel.deviceId }).expect(403);
  expect(refused.text).toContain('data-code="card_sign_in_required"');
  expect(await devices.live(pixel.deviceId)).toBeDefined();
});
