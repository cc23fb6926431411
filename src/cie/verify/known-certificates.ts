import { BoundedCache } from '../../shared/bounded-cache.js';
import { known, type Attempt } from './assertion-validator.js';

/** What the entries a returning card skips found the first time: recall puts it back into the attempt. */
type KnownCertificate = Required<Pick<Attempt, 'certificate' | 'publicKey' | 'issuer' | 'cas' | 'identity'>>;

const KNOWN_CERTIFICATES = 10_000;
const KNOWN_CERTIFICATE_TTL_MS = 60 * 60 * 1000;

/**
 * Certificates that passed the whole list, keyed by their exact base64 text. Decoding and path
 * building are ~90 % of a verification (docs/benchmarks.md) and a citizen's card comes back often.
 * The hour only bounds how long a card not seen again is kept; never past its notAfter.
 */
export class KnownCertificates {
  private readonly cache = new BoundedCache<KnownCertificate>(KNOWN_CERTIFICATES);

  /** True, and the attempt filled, when the attempt's certificate text already passed the list. */
  recall(attempt: Attempt, now: Date): boolean {
    const entry = this.cache.get(known(attempt, 'assertion').certificate, now.getTime());
    if (!entry) return false;
    attempt.certificate = entry.certificate;
    attempt.publicKey = entry.publicKey;
    attempt.issuer = entry.issuer;
    attempt.cas = entry.cas;
    attempt.identity = entry.identity;
    return true;
  }

  /** Called once the attempt passed every validator. */
  remember(attempt: Attempt, now: Date): void {
    const certificate = known(attempt, 'certificate');
    const entry: KnownCertificate = {
      certificate,
      publicKey: known(attempt, 'publicKey'),
      issuer: known(attempt, 'issuer'),
      cas: known(attempt, 'cas'),
      identity: known(attempt, 'identity'),
    };
    const cachedUntil = Math.min(now.getTime() + KNOWN_CERTIFICATE_TTL_MS, certificate.notAfter.getTime());
    this.cache.set(known(attempt, 'assertion').certificate, entry, cachedUntil);
  }
}
