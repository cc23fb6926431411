import type { X509Certificate } from '@peculiar/x509';
import { createHash, createPublicKey, X509Certificate as NodeX509Certificate, type KeyObject } from 'node:crypto';
import { BoundedCache } from '../../shared/bounded-cache.js';
import { x509 } from '../../shared/x509.js';
import { AssertionError } from './assertion-error.js';
import { checkValidity } from './check-validity.js';

export interface TrustConfig {
  trustAnchors: X509Certificate[];
  intermediates: X509Certificate[];
}

/** The leaf's issuer (the revocation check needs it) and the CAs from it to the trust anchor, both ends included. */
export interface VerifiedPath {
  issuer: X509Certificate;
  cas: readonly X509Certificate[];
}

/**
 * Resolves once the leaf chains to a trust anchor. Whether the path's CAs are valid now is the next
 * validator's question (checkCasValid): it changes with time, so a returning card is asked it too.
 */
export type ChainCheck = (leaf: X509Certificate) => Promise<VerifiedPath>;

/** Verified paths issuer → … → trust anchor; at most one per configured CA, so the bound is only a guard. */
const MAX_CA_PATHS = 1000;

function isAnchor(certificate: X509Certificate, anchors: X509Certificate[]): boolean {
  return anchors.some((anchor) => anchor.equal(certificate));
}

const untrusted = (message: string, cause?: unknown) =>
  new AssertionError('untrusted_certificate', message, {}, cause === undefined ? undefined : { cause });

/** As x509's X509ChainBuilder: a CA whose subject key identifier differs from the leaf's authority key identifier is not its issuer. */
function keyIdentifiersDiffer(leaf: X509Certificate, ca: X509Certificate): boolean {
  const authorityKeyId = leaf.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId;
  const subjectKeyId = ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  return authorityKeyId !== undefined && subjectKeyId !== undefined && authorityKeyId !== subjectKeyId;
}

/**
 * Path leaf → configured intermediates → trust anchor. The CA part (issuer → anchor: each link's
 * signature, built by x509.X509ChainBuilder, and every CA's basicConstraints cA) does not depend on
 * the leaf, so it is verified once per issuer and remembered; a first-time card then costs one
 * signature check with node:crypto, against four WebCrypto key imports and signature checks.
 */
export function createChainCheck(trust: TrustConfig): ChainCheck {
  const candidates = [...trust.intermediates, ...trust.trustAnchors];
  const builder = new x509.X509ChainBuilder({ certificates: candidates });
  const caPaths = new BoundedCache<X509Certificate[]>(MAX_CA_PATHS);
  const caKeys = new Map<X509Certificate, KeyObject | undefined>();

  function keyOf(ca: X509Certificate): KeyObject | undefined {
    if (!caKeys.has(ca)) {
      let key: KeyObject | undefined;
      try {
        key = createPublicKey({ key: Buffer.from(ca.publicKey.rawData), format: 'der', type: 'spki' });
      } catch {
        key = undefined; // a key node cannot import verifies nothing: never this leaf's issuer
      }
      caKeys.set(ca, key);
    }
    return caKeys.get(ca);
  }

  /** The first configured CA that names the leaf's issuer and whose key verifies the leaf's signature. */
  function issuerOf(leaf: X509Certificate): X509Certificate | undefined {
    let leafForNode: NodeX509Certificate;
    try {
      leafForNode = new NodeX509Certificate(Buffer.from(leaf.rawData));
    } catch (error) {
      // OpenSSL refuses what WebCrypto could not have verified either: no CA signed this for us.
      throw untrusted('certificate signature cannot be checked', error);
    }
    return candidates.find((ca) => {
      if (ca.subject !== leaf.issuer || keyIdentifiersDiffer(leaf, ca)) return false;
      const key = keyOf(ca);
      try {
        return key !== undefined && leafForNode.verify(key);
      } catch {
        return false;
      }
    });
  }

  async function caPathOf(issuer: X509Certificate): Promise<X509Certificate[]> {
    const key = createHash('sha256').update(new Uint8Array(issuer.rawData)).digest('hex');
    const known = caPaths.get(key, Date.now());
    if (known) return known;
    let chain: X509Certificate[];
    try {
      chain = [...(await builder.build(issuer))];
    } catch (error) {
      throw untrusted('certificate path cannot be built', error);
    }
    const anchorIndex = chain.findIndex((certificate) => isAnchor(certificate, trust.trustAnchors));
    if (anchorIndex < 0) throw untrusted('certificate does not chain to a trust anchor');
    const path = chain.slice(0, anchorIndex + 1);
    if (path.some((ca) => ca.getExtension(x509.BasicConstraintsExtension)?.ca !== true)) {
      throw untrusted('a certificate on the path is not a CA');
    }
    // Signatures and CA flags do not change; only validity does, and it is checked on every call.
    caPaths.set(key, path, Number.POSITIVE_INFINITY);
    return path;
  }

  return async (leaf) => {
    if (await leaf.isSelfSigned()) throw new AssertionError('self_signed_certificate', 'certificate is self-signed');
    const issuer = issuerOf(leaf);
    if (!issuer) throw untrusted('certificate does not chain to a trust anchor');
    const path = await caPathOf(issuer);
    if (path.some((ca) => ca.equal(leaf))) throw untrusted('certificate path cannot be built: circular');
    return { issuer, cas: path };
  };
}

/**
 * Every CA of a verified path is valid at `now` (with the tolerance). The only part of a path that
 * changes with time, so it is checked on every verification, a returning card's included.
 */
export function checkCasValid(cas: readonly X509Certificate[], now: Date, clockToleranceSeconds: number): void {
  for (const ca of cas) {
    try {
      checkValidity(ca, now, clockToleranceSeconds);
    } catch (error) {
      throw untrusted('a CA on the path is not valid now', error);
    }
  }
}
