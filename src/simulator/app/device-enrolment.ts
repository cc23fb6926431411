import { appAssertion, appDigest } from './app-assertion.js';
import { providerOrigin } from './app-entry.js';
import { AppClientError, postJson } from './app-http.js';
import { enrolmentProof } from './device-jws.js';
import { newDeviceKey, type CertifiedDevice, type DeviceKeyStore } from './device-key-store.js';
import type { PhoneCardReader } from './phone-card-reader.js';
import { checkSecurityCode } from './security-code.js';

export interface EnrolmentOutcome {
  device: CertifiedDevice;
  citizen: { givenName: string; familyName: string };
  isDefault: boolean;
}

const ENROLMENT_ID = /^[A-Za-z0-9_-]{16,64}$/;
const printable = (value: unknown) => (typeof value === 'string' ? value.slice(0, 100) : '');

/**
 * "Certifica questo dispositivo": a level-3 card read in the app certifies a new device key with the
 * provider. The security code is checked first (nothing is opened for a code the app would refuse); the
 * card signs the enrolment's challenge for the provider's origin as the app was configured with it; the
 * new ES256 key signs the proof; only the provider's `201` makes the app keep the key, sealed under the code.
 */
export async function certifyDevice(input: {
  origin: string;
  name: string;
  pin: string;
  securityCode: string;
  reader: PhoneCardReader;
  store: DeviceKeyStore;
  fetch?: typeof fetch;
}): Promise<EnrolmentOutcome> {
  checkSecurityCode(input.securityCode);
  const origin = providerOrigin(input.origin);
  const opened = await postJson(`${origin}/app/devices/enrolments`, {}, input.fetch);
  const { enrolment, challenge } = opened;
  if (typeof enrolment !== 'string' || !ENROLMENT_ID.test(enrolment) || typeof challenge !== 'string' || !/^[A-Za-z0-9_-]{16,128}$/.test(challenge)) throw new AppClientError('bad_answer', 'enrolment answer incomplete');
  // The provider names its origin; the card signs the one the app was configured with, and refuses a difference.
  if (opened.origin !== origin) throw new AppClientError('bad_answer', 'the provider named another origin');
  const { signature, certificate } = await input.reader.sign(input.pin, appDigest(origin, challenge));
  const assertion = JSON.parse(appAssertion({ origin, challenge, certificate, signature })) as Record<string, unknown>;
  const key = newDeviceKey();
  const proof = await enrolmentProof({ privateKey: key.privateKey, enrolment, challenge, origin });
  const certified = await postJson(`${origin}/app/devices/enrolments/${enrolment}`, { assertion, device: { public_jwk: key.publicJwk, name: input.name }, proof }, input.fetch);
  if (typeof certified.device_id !== 'string' || !/^[A-Za-z0-9_-]{22,64}$/.test(certified.device_id)) throw new AppClientError('bad_answer', 'no device id');
  const device = await input.store.add({ origin, deviceId: certified.device_id, name: input.name, publicJwk: key.publicJwk, privateKey: key.privateKey, code: input.securityCode });
  const citizen = (certified.citizen ?? {}) as Record<string, unknown>;
  return { device, citizen: { givenName: printable(citizen.given_name), familyName: printable(citizen.family_name) }, isDefault: certified.default === true };
}
