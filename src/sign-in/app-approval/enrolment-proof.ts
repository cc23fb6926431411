import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import type { DevicePublicJwk } from '../../credentials/app-device-key.js';
import { AppFactorError } from '../../credentials/app-factor-error.js';
import { DEVICE_REQUEST_SKEW_SECONDS } from '../../credentials/device-request.js';

/** The enrolment's proof of possession: header exactly `{alg: ES256, typ}`, signed by the new key. */
export const ENROLMENT_PROOF_TYP = 'cieid-app-enrol+jwt';

const refuse = (message: string): never => {
  throw new AppFactorError('app_request_invalid', message);
};

/**
 * The new key signed `{enrolment, challenge, aud, iat}`: the key is the app's (not copied from
 * another enrolment), bound to this enrolment, its card challenge and the provider's origin.
 */
export async function verifyEnrolmentProof(proof: unknown, expected: { publicJwk: DevicePublicJwk; enrolment: string; challenge: string; origin: string; now: number }): Promise<void> {
  if (typeof proof !== 'string' || proof.length > 4096 || proof.split('.').length !== 3) return refuse('proof is not a compact JWS');
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(proof) as Record<string, unknown>;
  } catch {
    return refuse('proof header unreadable');
  }
  if (Object.keys(header).sort().join(',') !== 'alg,typ' || header.alg !== 'ES256' || header.typ !== ENROLMENT_PROOF_TYP) return refuse('proof header is not {alg: ES256, typ}');
  let payload: Record<string, unknown>;
  try {
    const { payload: bytes } = await compactVerify(proof, await importJWK({ ...expected.publicJwk }, 'ES256'), { algorithms: ['ES256'] });
    payload = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return refuse('proof does not verify with the new key');
  }
  if (typeof payload !== 'object' || payload === null) return refuse('proof payload is not an object');
  if (payload.enrolment !== expected.enrolment || payload.challenge !== expected.challenge || payload.aud !== expected.origin) return refuse('proof names another enrolment, challenge or origin');
  if (typeof payload.iat !== 'number' || Math.abs(Math.floor(expected.now / 1000) - payload.iat) > DEVICE_REQUEST_SKEW_SECONDS) return refuse('proof iat outside the accepted window');
}
