import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import type { AppDevice } from '../../src/credentials/app-devices.js';
import { DEVICE_REQUEST_SKEW_SECONDS, verifyDeviceRequest } from '../../src/credentials/device-request.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';

describe('a seen jti is remembered as long as its request could still be accepted', () => {
  test('a request signed with iat at the window\'s far edge, replayed in the last accepted second, is app_request_replayed', async () => {
    const pair = await generateKeyPair('ES256');
    const { x, y } = await exportJWK(pair.publicKey);
    const live: AppDevice = { deviceId: 'D'.repeat(32), citizenIndex: 'i', publicJwk: { kty: 'EC', crv: 'P-256', x: x!, y: y! }, name: 'n', isDefault: true, createdAt: new Date() };
    const t = 2_000_000;
    let now = t * 1000 + 900;
    const store = new MemoryStateStore(() => now);
    const deps = { devices: { live: async (id: string) => (id === live.deviceId ? live : undefined) }, store, origin: 'https://login.example.it', now: () => now };
    // iat as far in the future as the window allows: the request is accepted from t until t + 2 × skew.
    const payload = { aud: deps.origin, iat: t + DEVICE_REQUEST_SKEW_SECONDS, jti: 'R'.repeat(20) };
    const jws = await new CompactSign(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'ES256', typ: 'cieid-app+jwt', kid: live.deviceId }).sign(pair.privateKey);
    await expect(verifyDeviceRequest(jws, deps)).resolves.toMatchObject({ device: { deviceId: live.deviceId } });
    // The last second whose floor still passes the iat check.
    now = (t + 2 * DEVICE_REQUEST_SKEW_SECONDS) * 1000 + 950;
    await expect(verifyDeviceRequest(jws, deps)).rejects.toMatchObject({ code: 'app_request_replayed' });
    await store.close();
  });
});
