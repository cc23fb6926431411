import { ACR } from '../oidc/acr.js';

/**
 * What each way of signing in with credentials proves, as the ID token says it (`acr`, and `amr`
 * values of RFC 8176): a password alone is level 1; a password and a code by e-mail, or a passkey
 * with user verification (something held and something known or be-ed), level 2. Level 3 is the
 * card's alone (sign-in/card).
 */
export interface LevelOutcome {
  acr: string;
  amr: string[];
}

export const PASSWORD_ONLY: LevelOutcome = { acr: ACR.L1, amr: ['pwd'] };
export const PASSWORD_AND_EMAIL_CODE: LevelOutcome = { acr: ACR.L2, amr: ['pwd', 'otp', 'mfa'] };

/** A passkey kept on one device is a hardware-bound key (`hwk`); a synced one is a software key (`swk`). Both verified the user. */
export function passkeyOutcome(deviceType: string): LevelOutcome {
  return { acr: ACR.L2, amr: [deviceType === 'singleDevice' ? 'hwk' : 'swk', 'user', 'mfa'] };
}
