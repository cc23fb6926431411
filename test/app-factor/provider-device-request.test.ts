import { randomBytes } from 'node:crypto';
import { CompactSign, generateKeyPair } from 'jose';
import { AppApprovals, PUSHES_PER_CITIZEN } from '../../src/credentials/app-approvals.js';
import type { AppDevice } from '../../src/credentials/app-devices.js';
import { verifyDeviceRequest } from '../../src/credentials/device-request.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import { useProviderStack, type TestDevice } from './support/provider-stack.js';

const stack = useProviderStack();
const pending = (request: string) => stack.post('/app/approvals/pending', { request });
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

let device: TestDevice;
let other: TestDevice;
beforeAll(async () => {
  device = await stack.enrol('Pixel di Mario');
  other = await stack.enrol('Tablet di Mario');
}, 120_000);

describe('device-signed requests through the provider', () => {
  test('a right request is accepted; replaying its jti is app_request_replayed', async () => {
    const request = await stack.signed(device);
    expect((await pending(request)).status).toBe(200);
    const replayed = await pending(request);
    expect([replayed.status, replayed.body.error]).toEqual([400, 'app_request_replayed']);
  });

  test('signed by another key, or naming another device\'s kid, is app_request_invalid', async () => {
    const stranger = await stack.newKey();
    expect((await pending(await stack.signed({ privateKey: stranger.privateKey, deviceId: device.deviceId }))).body.error).toBe('app_request_invalid');
    // The other device's key, with this device's kid (and the reverse): the signature does not verify with the named device's key.
    expect((await pending(await stack.signed({ privateKey: other.privateKey, deviceId: device.deviceId }))).body.error).toBe('app_request_invalid');
  });

  test('a kid nobody certified is app_device_unknown (401)', async () => {
    const refused = await pending(await stack.signed({ privateKey: device.privateKey, deviceId: 'B'.repeat(32) }));
    expect([refused.status, refused.body.error]).toEqual([401, 'app_device_unknown']);
  });

  test('a stale or future iat is app_request_replayed; a wrong aud or a jti out of shape is app_request_invalid', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await pending(await stack.signed(device, {}, { payload: { iat: now - 120 } }))).body.error).toBe('app_request_replayed');
    expect((await pending(await stack.signed(device, {}, { payload: { iat: now + 120 } }))).body.error).toBe('app_request_replayed');
    expect((await pending(await stack.signed(device, {}, { payload: { aud: 'https://phishing.example' } }))).body.error).toBe('app_request_invalid');
    expect((await pending(await stack.signed(device, {}, { payload: { aud: [stack.issuer] } }))).body.error).toBe('app_request_invalid');
    expect((await pending(await stack.signed(device, {}, { payload: { jti: 'short' } }))).body.error).toBe('app_request_invalid');
  });

  test('alg none, HS256, another typ or extra header members (jwk, crit) are app_request_invalid', async () => {
    const payload = { aud: stack.issuer, iat: Math.floor(Date.now() / 1000), jti: randomBytes(18).toString('base64url') };
    const none = `${b64({ alg: 'none', typ: 'cieid-app+jwt', kid: device.deviceId })}.${b64(payload)}.`;
    expect((await pending(none)).body.error).toBe('app_request_invalid');
    const hs256 = await new CompactSign(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'HS256', typ: 'cieid-app+jwt', kid: device.deviceId }).sign(new TextEncoder().encode('x'.repeat(32)));
    expect((await pending(hs256)).body.error).toBe('app_request_invalid');
    expect((await pending(await stack.signed(device, {}, { header: { typ: 'JWT' } }))).body.error).toBe('app_request_invalid');
    expect((await pending(await stack.signed(device, {}, { header: { jwk: device.publicJwk } }))).body.error).toBe('app_request_invalid');
    expect((await pending(await stack.signed(device, {}, { header: { crit: ['b64'], b64: true } }))).body.error).toBe('app_request_invalid');
    expect((await pending('not-a-jws')).body.error).toBe('app_request_invalid');
  });
});

describe('verifyDeviceRequest writes nothing before the signature verifies', () => {
  test('a forged request does not burn the device\'s jti', async () => {
    const pair = await generateKeyPair('ES256');
    const forger = await generateKeyPair('ES256');
    const { exportJWK } = await import('jose');
    const { kty, crv, x, y } = await exportJWK(pair.publicKey);
    const live: AppDevice = { deviceId: 'C'.repeat(32), citizenIndex: 'i', publicJwk: { kty: 'EC', crv: 'P-256', x: x!, y: y! }, name: 'n', isDefault: true, createdAt: new Date() };
    expect([kty, crv]).toEqual(['EC', 'P-256']);
    const store = new MemoryStateStore();
    const deps = { devices: { live: async (id: string) => (id === live.deviceId ? live : undefined) }, store, origin: 'https://login.example.it' };
    const payload = { aud: deps.origin, iat: Math.floor(Date.now() / 1000), jti: 'J'.repeat(20) };
    const sign = (key: CryptoKey) => new CompactSign(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'ES256', typ: 'cieid-app+jwt', kid: live.deviceId }).sign(key);
    await expect(verifyDeviceRequest(await sign(forger.privateKey), deps)).rejects.toMatchObject({ code: 'app_request_invalid' });
    await expect(verifyDeviceRequest(await sign(pair.privateKey), deps)).resolves.toMatchObject({ device: { deviceId: live.deviceId } });
    await expect(verifyDeviceRequest(await sign(pair.privateKey), deps)).rejects.toMatchObject({ code: 'app_request_replayed' });
  });
});

describe('approvals expire (a clock the test moves)', () => {
  test('a push past its time: the app gets app_approval_expired, the page reads expired, nothing is pending', async () => {
    let now = 1_000_000;
    const approvals = new AppApprovals({ store: new MemoryStateStore(), ttlSeconds: 30, now: () => now });
    const push = await approvals.openPush({ citizenIndex: 'c', deviceId: 'd'.repeat(32), requester: 'Comune', level: 'L2', boundTo: 'interaction:x' });
    expect((await approvals.pendingFor('d'.repeat(32)))?.id).toBe(push.id);
    now += 31_000;
    expect(await approvals.pendingFor('d'.repeat(32))).toBeUndefined();
    await expect(approvals.decide({ approvalId: push.id, deviceId: 'd'.repeat(32), citizenIndex: 'c', decision: 'approve', number: push.number, userVerification: 'pin' })).rejects.toMatchObject({ code: 'app_approval_expired' });
    expect(await approvals.state(push.id)).toMatchObject({ state: 'expired', code: 'app_approval_expired' });
    expect(await approvals.finish(push.id)).toBeUndefined();
  });

  test('at most PUSHES_PER_CITIZEN pushes to one citizen per window (push fatigue); another citizen is not counted', async () => {
    const approvals = new AppApprovals({ store: new MemoryStateStore() });
    const push = (citizenIndex: string) => approvals.openPush({ citizenIndex, deviceId: 'd'.repeat(32), requester: 'Comune', level: 'L2', boundTo: 'interaction:x' });
    for (let i = 0; i < PUSHES_PER_CITIZEN; i++) await push('c');
    await expect(push('c')).rejects.toMatchObject({ code: 'too_many_app_pushes' });
    await expect(push('other')).resolves.toMatchObject({ kind: 'push' });
  });

  test('of two racing answers exactly one is recorded; the approved outcome is handed out once', async () => {
    const approvals = new AppApprovals({ store: new MemoryStateStore() });
    const push = await approvals.openPush({ citizenIndex: 'c', deviceId: 'd'.repeat(32), requester: 'Comune', level: 'L2', boundTo: 'interaction:x' });
    const answer = (decision: 'approve' | 'deny') => approvals.decide({ approvalId: push.id, deviceId: 'd'.repeat(32), citizenIndex: 'c', decision, number: push.number, userVerification: 'pin' });
    const results = await Promise.allSettled([answer('approve'), answer('deny'), answer('approve')]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const state = (await approvals.state(push.id)).state;
    expect(['approved', 'denied']).toContain(state);
    if (state === 'approved') {
      expect(await approvals.finish(push.id)).toEqual({ deviceId: 'd'.repeat(32), citizenIndex: 'c', userVerification: 'pin' });
      expect(await approvals.finish(push.id)).toBeUndefined();
    }
  });
});
