import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { deviceRequest, enrolmentProof } from '../../src/simulator/app/device-jws.js';
import { DeviceKeyStore, MAX_CODE_TRIES, newDeviceKey } from '../../src/simulator/app/device-key-store.js';
import { offeredNumbers, pickNumber } from '../../src/simulator/app/number-choice.js';
import { checkSecurityCode } from '../../src/simulator/app/security-code.js';

// The CieID app's side of the level-2 factor, on its own: the security code, the sealed device key, the
// device-signed requests and the number pick (the flows through the provider: app-push-login / app-qr-login).

const ORIGIN = 'https://id.example.it';
const CODE = '482915';
const DEVICE_ID = 'dev_0123456789abcdefghijkl';

const codeOf = async (promise: Promise<unknown>) => promise.then(() => 'fulfilled', (error: { code?: string }) => String(error.code));
const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-app-keys-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function certifiedStore(path?: string) {
  const store = path ? await DeviceKeyStore.openFile(path) : DeviceKeyStore.inMemory();
  const key = newDeviceKey();
  await store.add({ origin: ORIGIN, deviceId: DEVICE_ID, name: 'Pixel di Maria', publicJwk: key.publicJwk, privateKey: key.privateKey, code: CODE });
  return { store, key };
}

describe('the security code', () => {
  test.each(['48291', '4829150123456', '48a915', '', '111111', '123456', '654321', '890123'])('%j is refused', (code) => {
    expect(() => checkSecurityCode(code)).toThrow(expect.objectContaining({ code: 'security_code_invalid' }));
  });
  test.each(['482915', '90817263', '000001'])('%j is accepted', (code) => {
    expect(() => checkSecurityCode(code)).not.toThrow();
  });
});

describe('the device key store', () => {
  test('the private key is kept only sealed: the file holds no key material in clear and is 0600; the right code opens it, and the key signs what the public JWK verifies', async () => {
    const path = join(dir, 'sealed.json');
    const { key } = await certifiedStore(path);
    const text = await readFile(path, 'utf8');
    const pkcs8 = key.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64url');
    expect(text).not.toContain(pkcs8.slice(-40));
    expect(text).not.toContain(CODE);
    expect(JSON.parse(text).devices[0]).toMatchObject({ origin: ORIGIN, deviceId: DEVICE_ID, sealedKey: { kdf: 'scrypt', logN: 15, r: 8, p: 1 } });
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    const reopened = await DeviceKeyStore.openFile(path);
    const unlocked = await reopened.unlock(ORIGIN, CODE);
    const jws = await deviceRequest(unlocked, { approval: 'a'.repeat(22) });
    await expect(compactVerify(jws, await importJWK(key.publicJwk, 'ES256'))).resolves.toBeDefined();
  });

  test('a wrong code is refused with the tries left and counted across restarts; the right one resets the count; at the 5th wrong code the key is erased', async () => {
    const path = join(dir, 'tries.json');
    const { store } = await certifiedStore(path);
    expect(await store.unlock(ORIGIN, '999999').catch((error: { code: string; details: unknown }) => [error.code, error.details])).toEqual(['wrong_security_code', { triesLeft: MAX_CODE_TRIES - 1 }]);
    await store.unlock(ORIGIN, CODE);
    for (let i = 1; i < MAX_CODE_TRIES; i += 1) expect(await codeOf((await DeviceKeyStore.openFile(path)).unlock(ORIGIN, '999999'))).toBe('wrong_security_code');
    const last = await DeviceKeyStore.openFile(path);
    expect(last.device(ORIGIN)!.failedCodes).toBe(MAX_CODE_TRIES - 1);
    expect(await codeOf(last.unlock(ORIGIN, '999999'))).toBe('security_code_locked');
    expect(await codeOf((await DeviceKeyStore.openFile(path)).unlock(ORIGIN, CODE))).toBe('not_certified');
  });

  test('a sealed key moved to another provider or device does not open, even with the right code', async () => {
    const { store } = await certifiedStore();
    const device = store.device(ORIGIN)!;
    const path = join(dir, 'moved.json');
    await writeFile(path, JSON.stringify({ format: 'cieid-app-keystore:1', devices: [{ ...device, origin: 'https://phish.example' }] }));
    expect(await codeOf((await DeviceKeyStore.openFile(path)).unlock('https://phish.example', CODE))).toBe('wrong_security_code');
  });

  test('a file that is not a key store, or asks for an unbounded key derivation, is refused', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{"devices":[]}');
    expect(await codeOf(DeviceKeyStore.openFile(path))).toBe('keystore_unreadable');
    const { store } = await certifiedStore();
    const device = store.device(ORIGIN)!;
    await writeFile(path, JSON.stringify({ format: 'cieid-app-keystore:1', devices: [{ ...device, sealedKey: { ...device.sealedKey, logN: 30 } }] }));
    expect(await codeOf((await DeviceKeyStore.openFile(path)).unlock(ORIGIN, CODE))).toBe('keystore_unreadable');
  });
});

describe('device-signed requests', () => {
  test('a request: header exactly {alg ES256, typ cieid-app+jwt, kid device id}; aud the configured origin, iat in seconds, a fresh 32-char jti, the call fields', async () => {
    const { store } = await certifiedStore();
    const unlocked = await store.unlock(ORIGIN, CODE);
    const now = 1_800_000_000_500;
    const [a, b] = await Promise.all([deviceRequest(unlocked, { qr: 'n'.repeat(43), aud: 'https://evil.example' }, now), deviceRequest(unlocked, {}, now)]);
    expect(decodeProtectedHeader(a)).toEqual({ alg: 'ES256', typ: 'cieid-app+jwt', kid: DEVICE_ID });
    expect(payloadOf(a)).toEqual({ qr: 'n'.repeat(43), aud: ORIGIN, iat: 1_800_000_000, jti: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) });
    expect(payloadOf(a).jti).not.toBe(payloadOf(b).jti);
  });

  test('the enrolment proof is signed by the new key: header {alg, typ cieid-app-enrol+jwt}, payload {enrolment, challenge, aud, iat}', async () => {
    const key = newDeviceKey();
    expect(key.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) });
    const proof = await enrolmentProof({ privateKey: key.privateKey, enrolment: 'e'.repeat(22), challenge: 'c'.repeat(43), origin: ORIGIN }, 1_800_000_000_000);
    expect(decodeProtectedHeader(proof)).toEqual({ alg: 'ES256', typ: 'cieid-app-enrol+jwt' });
    const { payload } = await compactVerify(proof, await importJWK(key.publicJwk, 'ES256'));
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ enrolment: 'e'.repeat(22), challenge: 'c'.repeat(43), aud: ORIGIN, iat: 1_800_000_000 });
  });
});

describe('number matching in the app', () => {
  test('the app shows exactly three distinct numbers 10–99, and sends only one of them', () => {
    expect(offeredNumbers([42, 17, 85])).toEqual([42, 17, 85]);
    for (const bad of [[42, 17], [42, 17, 85, 11], [42, 42, 85], [9, 17, 85], [42, 17, 100], [42, '17', 85], 'x']) expect(offeredNumbers(bad)).toBeUndefined();
    expect(pickNumber([42, 17, 85], ' 17 ')).toBe(17);
    expect(pickNumber([42, 17, 85], 85)).toBe(85);
    expect(() => pickNumber([42, 17, 85], '43')).toThrow(expect.objectContaining({ code: 'number_not_offered' }));
    expect(() => pickNumber([42, 17, 85], '')).toThrow(expect.objectContaining({ code: 'number_not_offered' }));
  });
});
