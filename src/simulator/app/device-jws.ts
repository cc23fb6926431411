import { randomBytes, type KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import type { UnlockedDevice } from './device-key-store.js';

const encode = (payload: object) => new TextEncoder().encode(JSON.stringify(payload));
const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * A device-signed request (docs/app-protocol.md, the CieID app as a level-2 factor): compact JWS ES256,
 * header exactly `{alg, typ: 'cieid-app+jwt', kid: device id}`, payload `aud` (the provider's origin the
 * app was configured with or opened a link of, never one from an answer), `iat`, a fresh `jti`, and the
 * call's own fields.
 */
export function deviceRequest(device: UnlockedDevice, fields: Record<string, unknown> = {}, now = Date.now()): Promise<string> {
  const payload = { ...fields, aud: device.origin, iat: seconds(now), jti: randomBytes(24).toString('base64url') };
  return new CompactSign(encode(payload)).setProtectedHeader({ alg: 'ES256', typ: 'cieid-app+jwt', kid: device.deviceId }).sign(device.privateKey);
}

/** The enrolment's proof of possession: signed by the NEW key, binding it to the enrolment, its card challenge and the origin. */
export function enrolmentProof(input: { privateKey: KeyObject; enrolment: string; challenge: string; origin: string }, now = Date.now()): Promise<string> {
  const payload = { enrolment: input.enrolment, challenge: input.challenge, aud: input.origin, iat: seconds(now) };
  return new CompactSign(encode(payload)).setProtectedHeader({ alg: 'ES256', typ: 'cieid-app-enrol+jwt' }).sign(input.privateKey);
}
