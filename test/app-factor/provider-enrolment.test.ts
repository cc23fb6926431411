import { CompactSign } from 'jose';
import { DEMO_HOLDER } from '../../src/simulator/demo-environment.js';
import { useProviderStack } from './support/provider-stack.js';

const stack = useProviderStack();
const now = () => Math.floor(Date.now() / 1000);
const enrolProof = (privateKey: CryptoKey, payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'ES256', typ: 'cieid-app-enrol+jwt', ...header } as { alg: string }).sign(privateKey);

async function openEnrolment() {
  const opened = await stack.post('/app/devices/enrolments', {});
  return { status: opened.status, enrolment: String(opened.body.enrolment), challenge: String(opened.body.challenge), body: opened.body, headers: opened.headers };
}

describe('enrolment: a level-3 card read in the app certifies the device key', () => {
  test('a right card read and proof store the device for the card\'s citizen; the first is the default', async () => {
    const opened = await openEnrolment();
    expect(opened.status).toBe(201);
    expect(opened.body).toEqual({ enrolment: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), origin: stack.issuer, expires_at: expect.any(Number) });
    expect(opened.headers.get('cache-control')).toBe('no-store');
    const key = await stack.newKey();
    const proof = await enrolProof(key.privateKey, { enrolment: opened.enrolment, challenge: opened.challenge, aud: stack.issuer, iat: now() });
    const done = await stack.post(`/app/devices/enrolments/${opened.enrolment}`, { assertion: await stack.cardAssertion(opened.challenge), device: { public_jwk: key.publicJwk, name: '  Pixel di Mario ' }, proof });
    expect(done.status).toBe(201);
    expect(done.body).toEqual({ device_id: expect.stringMatching(/^[A-Za-z0-9_-]{22,64}$/), citizen: { given_name: DEMO_HOLDER.givenName, family_name: DEMO_HOLDER.familyName }, default: true });
    const devices = await stack.app.credentials.appDevices.devicesOf(stack.app.credentials.appDevices.citizenIndex(DEMO_HOLDER.fiscalCode));
    const stored = devices.find((device) => device.deviceId === done.body.device_id);
    expect(stored).toMatchObject({ name: 'Pixel di Mario', publicJwk: key.publicJwk });
    // The same enrolment cannot be used twice.
    const again = await stack.post(`/app/devices/enrolments/${opened.enrolment}`, { assertion: await stack.cardAssertion(opened.challenge), device: { public_jwk: key.publicJwk, name: 'x' }, proof });
    expect([again.status, again.body.error]).toEqual([404, 'app_enrolment_unknown']);
  }, 60_000);

  test('a card assertion for another origin is refused and nothing is stored', async () => {
    const index = stack.app.credentials.appDevices.citizenIndex(DEMO_HOLDER.fiscalCode);
    const before = (await stack.app.credentials.appDevices.devicesOf(index)).length;
    const opened = await openEnrolment();
    const key = await stack.newKey();
    const proof = await enrolProof(key.privateKey, { enrolment: opened.enrolment, challenge: opened.challenge, aud: stack.issuer, iat: now() });
    const refused = await stack.post(`/app/devices/enrolments/${opened.enrolment}`, { assertion: await stack.cardAssertion(opened.challenge, 'https://phishing.example'), device: { public_jwk: key.publicJwk, name: 'Pixel' }, proof });
    expect([refused.status, refused.body.error, typeof refused.body.message]).toEqual([400, 'assertion_refused', 'string']);
    expect((await stack.app.credentials.appDevices.devicesOf(index)).length).toBe(before);
  }, 60_000);

  test('a card assertion of another enrolment\'s challenge is refused', async () => {
    const mine = await openEnrolment();
    const other = await openEnrolment();
    const key = await stack.newKey();
    const proof = await enrolProof(key.privateKey, { enrolment: mine.enrolment, challenge: other.challenge, aud: stack.issuer, iat: now() });
    const refused = await stack.post(`/app/devices/enrolments/${mine.enrolment}`, { assertion: await stack.cardAssertion(other.challenge), device: { public_jwk: key.publicJwk, name: 'Pixel' }, proof });
    expect([refused.status, refused.body.error]).toEqual([400, 'assertion_refused']);
  }, 60_000);

  test('a proof not signed by the new key, or naming another enrolment, audience or typ, is refused', async () => {
    const index = stack.app.credentials.appDevices.citizenIndex(DEMO_HOLDER.fiscalCode);
    const before = (await stack.app.credentials.appDevices.devicesOf(index)).length;
    const key = await stack.newKey();
    const stranger = await stack.newKey();
    const cases: Array<(e: { enrolment: string; challenge: string }) => Promise<string>> = [
      (e) => enrolProof(stranger.privateKey, { ...e, aud: stack.issuer, iat: now() }),
      (e) => enrolProof(key.privateKey, { enrolment: 'A'.repeat(32), challenge: e.challenge, aud: stack.issuer, iat: now() }),
      (e) => enrolProof(key.privateKey, { ...e, aud: 'https://phishing.example', iat: now() }),
      (e) => enrolProof(key.privateKey, { ...e, aud: stack.issuer, iat: now() - 3600 }),
      (e) => enrolProof(key.privateKey, { ...e, aud: stack.issuer, iat: now() }, { typ: 'cieid-app+jwt' }),
      (e) => enrolProof(key.privateKey, { ...e, aud: stack.issuer, iat: now() }, { jwk: key.publicJwk }),
    ];
    for (const makeProof of cases) {
      const opened = await openEnrolment();
      const proof = await makeProof(opened);
      const refused = await stack.post(`/app/devices/enrolments/${opened.enrolment}`, { assertion: await stack.cardAssertion(opened.challenge), device: { public_jwk: key.publicJwk, name: 'Pixel' }, proof });
      expect([refused.status, refused.body.error]).toEqual([400, 'app_request_invalid']);
    }
    expect((await stack.app.credentials.appDevices.devicesOf(index)).length).toBe(before);
  }, 120_000);

  test('a key that is not a bare EC P-256 public JWK, or a bad name, is refused before the card challenge is spent', async () => {
    const key = await stack.newKey();
    for (const device of [
      { public_jwk: { ...key.publicJwk, d: 'AAAA' }, name: 'Pixel' },
      { public_jwk: { ...key.publicJwk, crv: 'P-384' }, name: 'Pixel' },
      { public_jwk: key.publicJwk, name: '' },
      { public_jwk: key.publicJwk, name: 'x'.repeat(65) },
      { public_jwk: key.publicJwk, name: 'a\u0000b' },
    ]) {
      const opened = await openEnrolment();
      const refused = await stack.post(`/app/devices/enrolments/${opened.enrolment}`, { assertion: {}, device, proof: 'a.b.c' });
      expect([refused.status, refused.body.error]).toEqual([400, 'app_request_invalid']);
    }
  });

  test('a sixth live device is refused (too_many_app_devices), and a withdrawal makes room', async () => {
    const devices = stack.app.credentials.appDevices;
    const index = devices.citizenIndex(DEMO_HOLDER.fiscalCode);
    while ((await devices.devicesOf(index)).length < 5) await stack.enrol(`Telefono ${(await devices.devicesOf(index)).length + 1}`);
    await expect(stack.enrol('Sesto')).rejects.toThrow(/too_many_app_devices/);
    const [first] = await devices.devicesOf(index);
    expect(await devices.withdraw(index, first!.deviceId)).toBe(true);
    const sixth = await stack.enrol('Sesto');
    expect((await devices.devicesOf(index)).map((device) => device.deviceId)).toContain(sixth.deviceId);
    expect((await devices.devicesOf(index)).filter((device) => device.isDefault)).toHaveLength(1);
  }, 180_000);

  test('a body that is not a JSON object is malformed_request', async () => {
    const response = await fetch(`${stack.issuer}/app/devices/enrolments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1' });
    expect([response.status, (await response.json()).error]).toEqual([400, 'malformed_request']);
  });
});
