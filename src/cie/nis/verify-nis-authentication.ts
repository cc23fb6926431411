import { constants, createHash, createPublicKey, publicDecrypt, timingSafeEqual } from 'node:crypto';
import * as pkijs from 'pkijs';
import '../../shared/x509.js';
import { NisAuthenticationError } from './nis-authentication-error.js';
import { readSecurityObject, type SecurityObject } from './security-object.js';

/** What the card gave (`CieCard.readNisEvidence`): all read in plain, nothing trusted yet. */
export interface NisEvidence {
  readonly nis: string;
  /** EF 10 05: PKCS#1 RSAPublicKey DER of key 83. */
  readonly servicesPublicKey: Uint8Array;
  /** EF 10 06. */
  readonly securityObject: Uint8Array;
  /** Key 83's PKCS#1 v1.5 type-01 signature over the challenge. */
  readonly signature: Uint8Array;
}

export interface NisAuthenticationOptions {
  /** The challenge this verifier gave the card (fresh each time, 8–245 bytes). */
  readonly challenge: Uint8Array;
  /** DER certificates of the Country Signing CAs to trust (the Italian CSCA list, or the test CSCA). */
  readonly trustedCscas: readonly Uint8Array[];
  readonly now?: Date;
}

export interface VerifiedNis {
  readonly nis: string;
  readonly documentSigner: { readonly subject: string; readonly serialNumber: string; readonly notBefore: Date; readonly notAfter: Date };
  readonly hashAlgorithm: SecurityObject['hashAlgorithm'];
  /** The DG numbers EF.SOD hashes, in its order. */
  readonly dataGroups: readonly number[];
}

const NIS_DATA_GROUP = 0xa1;
const SERVICES_KEY_DATA_GROUP = 0xa5;
const NODE_HASH = { 'SHA-256': 'sha256', 'SHA-512': 'sha512' } as const;

const nameOf = (name: pkijs.RelativeDistinguishedNames) =>
  name.typesAndValues.map((attribute) => `${attribute.type}=${attribute.value.valueBlock.value as string}`).join(', ');

async function checkSignature(security: SecurityObject): Promise<void> {
  let verified = false;
  try {
    // pkijs checks the messageDigest attribute against the LDS security object, then the signature over the
    // signed attributes with the embedded Document Signer's key (RSASSA-PSS or PKCS#1 v1.5).
    const result = await security.signedData.verify({ signer: 0, checkChain: false, extendedMode: true });
    verified = result.signatureVerified === true;
  } catch {
    verified = false;
  }
  if (!verified) throw new NisAuthenticationError('sod_signature_invalid', 'EF.SOD is not signed by its Document Signer');
}

/** The Document Signer must be certified by one of the trusted CSCAs, and both valid now. */
async function checkSigner(security: SecurityObject, options: NisAuthenticationOptions, now: Date): Promise<void> {
  const signer = security.documentSigner;
  let issuer: pkijs.Certificate | undefined;
  for (const der of options.trustedCscas) {
    const csca = pkijs.Certificate.fromBER(new Uint8Array(der));
    if (csca.subject.isEqual(signer.issuer) && (await signer.verify(csca).catch(() => false))) issuer = csca;
  }
  if (!issuer) throw new NisAuthenticationError('sod_signer_untrusted', `no trusted CSCA certified ${nameOf(signer.subject)}`);
  for (const certificate of [signer, issuer]) {
    if (now < certificate.notBefore.value || now > certificate.notAfter.value) {
      throw new NisAuthenticationError('sod_signer_expired', `${nameOf(certificate.subject)} is not valid now`);
    }
  }
}

function checkDataGroup(security: SecurityObject, dataGroup: number, content: Uint8Array, code: 'nis_mismatch' | 'services_key_mismatch'): void {
  const expected = security.dataGroupHashes.get(dataGroup);
  if (!expected) throw new NisAuthenticationError('data_group_missing', `EF.SOD does not hash DG ${dataGroup.toString(16)}`, { dataGroup });
  const actual = createHash(NODE_HASH[security.hashAlgorithm]).update(content).digest();
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new NisAuthenticationError(code, `DG ${dataGroup.toString(16)} read from the card does not match EF.SOD`, { dataGroup });
  }
}

/** Key 83 signs the raw challenge with PKCS#1 v1.5 type-01 padding (protocol §6): recover it and compare. */
function checkChipSignature(evidence: NisEvidence, challenge: Uint8Array): void {
  let recovered: Buffer | undefined;
  try {
    const key = createPublicKey({ key: Buffer.from(evidence.servicesPublicKey), format: 'der', type: 'pkcs1' });
    recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, evidence.signature);
  } catch {
    recovered = undefined;
  }
  if (!recovered || recovered.length !== challenge.length || !timingSafeEqual(recovered, challenge)) {
    throw new NisAuthenticationError('chip_authentication_failed', 'the chip did not sign the challenge with the key EF.SOD vouches for');
  }
}

/**
 * "NIS authentication" as real verifiers do it (protocol §6; the NIS SDKs' `verifySod`): EF.SOD signed by its
 * Document Signer, the Document Signer certified by a trusted CSCA, the NIS (DG A1) and key 83's public key
 * (DG A5) as EF.SOD hashes them, and key 83's signature over this verifier's challenge. Proves a genuine chip
 * holding that NIS, not its holder: no PIN is involved, so it must never stand in for the level-3 login.
 */
export async function verifyNisAuthentication(evidence: NisEvidence, options: NisAuthenticationOptions): Promise<VerifiedNis> {
  if (options.challenge.length < 8 || options.challenge.length > 245) {
    throw new NisAuthenticationError('invalid_challenge', 'the challenge must be 8 to 245 bytes');
  }
  const now = options.now ?? new Date();
  const security = readSecurityObject(evidence.securityObject);
  await checkSignature(security);
  await checkSigner(security, options, now);
  checkDataGroup(security, NIS_DATA_GROUP, Buffer.from(evidence.nis, 'latin1'), 'nis_mismatch');
  checkDataGroup(security, SERVICES_KEY_DATA_GROUP, evidence.servicesPublicKey, 'services_key_mismatch');
  checkChipSignature(evidence, options.challenge);
  const signer = security.documentSigner;
  return {
    nis: evidence.nis,
    documentSigner: {
      subject: nameOf(signer.subject),
      serialNumber: Buffer.from(signer.serialNumber.valueBlock.valueHexView).toString('hex'),
      notBefore: signer.notBefore.value,
      notAfter: signer.notAfter.value,
    },
    hashAlgorithm: security.hashAlgorithm,
    dataGroups: [...security.dataGroupHashes.keys()],
  };
}
