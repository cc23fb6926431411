import { concatBytes, hexToBytes } from '../bytes.js';

/** DER prefix of DigestInfo{ AlgorithmIdentifier{ id-sha256, NULL }, OCTET STRING(32) } (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO_PREFIX = hexToBytes('3031300D060960864801650304020105000420');

/** The 51 bytes sent to the card, which adds the PKCS#1 v1.5 type-01 padding itself. */
export function sha256DigestInfo(sha256Digest: Uint8Array): Uint8Array {
  if (sha256Digest.length !== 32) throw new RangeError('a SHA-256 digest is 32 bytes');
  return concatBytes(SHA256_DIGEST_INFO_PREFIX, sha256Digest);
}
