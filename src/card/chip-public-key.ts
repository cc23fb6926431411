import { createPublicKey } from 'node:crypto';
import { CardError } from './card-error.js';
import type { CommandChannel } from './command-channel.js';
import { readDerFile } from './file-reader.js';

export interface RsaPublicKey {
  n: Uint8Array;
  e: Uint8Array;
}

/** EF.Int.Kpub: the chip's DAPP public key (key ref 82), PKCS#1 RSAPublicKey DER. */
const CHIP_PUBLIC_KEY_FID = Uint8Array.of(0x10, 0x04);

function parseRsaPublicKey(der: Uint8Array): RsaPublicKey {
  try {
    const jwk = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'pkcs1' }).export({ format: 'jwk' });
    return { n: new Uint8Array(Buffer.from(jwk.n!, 'base64url')), e: new Uint8Array(Buffer.from(jwk.e!, 'base64url')) };
  } catch (cause) {
    throw new CardError('malformed_response', 'EF 10 04 is not an RSA public key', {}, { cause });
  }
}

export async function readChipPublicKey(channel: CommandChannel): Promise<RsaPublicKey> {
  return parseRsaPublicKey(await readDerFile(channel, CHIP_PUBLIC_KEY_FID));
}
