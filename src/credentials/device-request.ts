import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import type { KeyValueStore } from '../storage/key-value-store.js';
import type { AppDevice } from './app-devices.js';
import { AppFactorError } from './app-factor-error.js';

/** The `typ` of every device-signed request; the enrolment's proof has its own. */
export const DEVICE_REQUEST_TYP = 'cieid-app+jwt';
/** How far a request's `iat` may be from the provider's clock. */
export const DEVICE_REQUEST_SKEW_SECONDS = 60;
/**
 * How long a seen `jti` is remembered: longer than a request can be accepted. `iat` is compared in whole
 * seconds, so a request is accepted for up to 2 × skew + 1 seconds of real time (from its first sight at
 * iat − skew to the end of the second iat + skew); one more second covers the store's own rounding.
 */
export const DEVICE_JTI_TTL_SECONDS = 2 * DEVICE_REQUEST_SKEW_SECONDS + 2;
const MAX_JWS_CHARS = 8 * 1024;
const JTI = /^[A-Za-z0-9_-]{16,64}$/;
const DEVICE_ID = /^[A-Za-z0-9_-]{22,64}$/;

export interface VerifiedDeviceRequest {
  device: AppDevice;
  /** The payload: `aud`, `iat`, `jti` checked, and the call's own fields. */
  payload: Record<string, unknown>;
}

export interface DeviceRequestDeps {
  devices: { live(deviceId: string): Promise<AppDevice | undefined> };
  /** Where seen `jti`s are marked (the StateStore). */
  store: Pick<KeyValueStore, 'putIfAbsent'>;
  /** The provider's origin: the exact `aud`. */
  origin: string;
  now?: () => number;
}

const invalid = (message: string): never => {
  throw new AppFactorError('app_request_invalid', message);
};

/**
 * A device-signed request (docs/app-protocol.md): compact JWS, protected header exactly `{alg: ES256,
 * typ: cieid-app+jwt, kid: <device id>}`, verified with the stored key of a live device; `aud` the
 * provider's origin, `iat` within ±60 s, `jti` single use. Nothing is written before the signature
 * verifies: a forged request cannot burn a device's `jti`s.
 */
export async function verifyDeviceRequest(jws: unknown, deps: DeviceRequestDeps): Promise<VerifiedDeviceRequest> {
  if (typeof jws !== 'string' || jws.length > MAX_JWS_CHARS || jws.split('.').length !== 3) return invalid('not a compact JWS');
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(jws) as Record<string, unknown>;
  } catch {
    return invalid('unreadable protected header');
  }
  // Exactly these members: no `jwk`, `x5c`, `jku`, `crit`… that could name another key or rule.
  if (Object.keys(header).sort().join(',') !== 'alg,kid,typ' || header.alg !== 'ES256' || header.typ !== DEVICE_REQUEST_TYP) return invalid('header is not {alg: ES256, typ, kid}');
  const deviceId = header.kid;
  if (typeof deviceId !== 'string' || !DEVICE_ID.test(deviceId)) return invalid('kid is not a device id');
  const device = await deps.devices.live(deviceId);
  if (!device) throw new AppFactorError('app_device_unknown', 'no live device with this id');

  let payloadBytes: Uint8Array;
  try {
    const key = await importJWK({ ...device.publicJwk }, 'ES256');
    ({ payload: payloadBytes } = await compactVerify(jws, key, { algorithms: ['ES256'] }));
  } catch {
    return invalid('signature does not verify with the device key');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
  } catch {
    return invalid('payload is not JSON');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return invalid('payload is not an object');
  const claims = payload as Record<string, unknown>;
  if (claims.aud !== deps.origin) return invalid('aud is not the provider origin');
  if (typeof claims.jti !== 'string' || !JTI.test(claims.jti)) return invalid('jti missing or malformed');
  if (typeof claims.iat !== 'number' || !Number.isInteger(claims.iat)) return invalid('iat missing');
  const now = Math.floor((deps.now ?? Date.now)() / 1000);
  if (Math.abs(now - claims.iat) > DEVICE_REQUEST_SKEW_SECONDS) throw new AppFactorError('app_request_replayed', 'iat outside the accepted window');
  // Only now, with the signature verified, is anything written.
  if (!(await deps.store.putIfAbsent(`app-jti:${deviceId}:${claims.jti}`, { seen: 1 }, DEVICE_JTI_TTL_SECONDS))) throw new AppFactorError('app_request_replayed', 'jti already used');
  return { device, payload: claims };
}
