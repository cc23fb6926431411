import type { ApduLink } from './apdu-link.js';
import { selectCieApplications } from './application-selection.js';
import type { CardFamily } from './card-family.js';
import { readChipPublicKey } from './chip-public-key.js';
import { getData } from './commands.js';
import { SSC_AFTER_KEY_AGREEMENT } from './crypto/ssc.js';
import type { DeviceAuthKeys } from './device-auth-keys.js';
import { authenticateDevice } from './device-authentication.js';
import { caPublicKeyRequest, parseCaPublicKey } from './get-data.js';
import { agreeSessionKeys, readDhGroup } from './key-agreement.js';
import { PlainChannel } from './plain-channel.js';
import { SecureChannel } from './secure-channel.js';
import { requireSuccess } from './status-word.js';

export interface SecureSessionSetup {
  family: CardFamily;
  keys: DeviceAuthKeys;
  random: (n: number) => Uint8Array;
}

/**
 * Everything before VERIFY PIN, in the middleware's order (protocol §2.1 steps 1–14): select, DH parameters,
 * EF 10 04, CA key, DH key agreement (plain), then device authentication under secure messaging.
 */
export async function openSecureSession(link: ApduLink, setup: SecureSessionSetup): Promise<SecureChannel> {
  const plain = new PlainChannel(link);
  await selectCieApplications(plain, setup.family);
  const group = await readDhGroup(plain, setup.family);
  const chipKey = await readChipPublicKey(plain);
  const caResponse = await plain.send(getData(caPublicKeyRequest()));
  requireSuccess(caResponse, 'GET DATA CA key');
  const caKey = parseCaPublicKey(caResponse.data);
  const agreement = await agreeSessionKeys(plain, group, setup.random);
  const channel = new SecureChannel(link, agreement.keys, SSC_AFTER_KEY_AGREEMENT);
  await authenticateDevice(channel, { group, agreement, chipKey, caKey, keys: setup.keys, random: setup.random });
  return channel;
}
