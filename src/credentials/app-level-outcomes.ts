import { ACR } from '../oidc/acr.js';
import type { UserVerification } from './app-approvals.js';
import type { LevelOutcome } from './level-outcomes.js';

/**
 * What the CieID app proves as a factor (RFC 8176 `amr`): its key is a software key (`swk`) the
 * citizen unlocked with the security code (`pin`) or biometrics (`fpt`, `face`). After the password
 * (push) that is two factors beside the password; scanning a QR, the key and its unlocking are two.
 */
export function pushOutcome(uv: UserVerification): LevelOutcome {
  return { acr: ACR.L2, amr: ['pwd', 'swk', uv, 'mfa'] };
}

export function appQrOutcome(uv: UserVerification): LevelOutcome {
  return { acr: ACR.L2, amr: ['swk', uv, 'mfa'] };
}
