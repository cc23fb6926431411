import type { CieCardData } from './card-data.js';
import { efDhContent } from './file-system.js';
import { rsaPublicKeyPkcs1Der } from './rsa.js';

/**
 * What EF.SOD hashes, per data group, as the middleware hashes it (protocol §1.5, `AbilitaCIE`): A1 the NIS
 * (EF 10 01), A2 the document number (EF 10 02, 9 bytes), A3 the certificate (EF 10 03 up to its DER
 * length), A4 and A5 the public keys of EF 10 04 and 10 05, 1B EF.DH. In the order of the real sample.
 */
export function dataGroupContents(card: CieCardData): ReadonlyMap<number, Uint8Array> {
  return new Map<number, Uint8Array>([
    [0xa5, rsaPublicKeyPkcs1Der(card.servicesKey)],
    [0x1b, efDhContent(card.dhGroup)],
    [0xa4, rsaPublicKeyPkcs1Der(card.chipKey)],
    [0xa3, card.authCertificate],
    [0xa2, Buffer.from(card.documentNumber, 'ascii')],
    [0xa1, Buffer.from(card.nis, 'ascii')],
  ]);
}
