import type { X509Certificate } from '@peculiar/x509';
import type { RevocationChecker } from '../revocation/revocation-checker.js';
import { CodedError } from '../../shared/coded-error.js';

/** A configuration the verifier cannot honour; raised at start-up, never per login. */
export class VerifierConfigError extends CodedError<'invalid_verifier_config'> {}

export const CIE_AUTHENTICATION_POLICY = '1.3.76.47.4';

export interface VerifierConfig {
  /** The provider's own origin, `scheme://host[:port]`: what the card must have signed. */
  origin: string;
  trustAnchors: X509Certificate[];
  intermediates: X509Certificate[];
  clockToleranceSeconds: number;
  /** Default in practice: ['RS256']. */
  allowedAlgorithms: string[];
  /** Default in practice: CIE_AUTHENTICATION_POLICY. */
  requiredPolicy: string;
  revocation: RevocationChecker;
  now?: () => Date;
}
