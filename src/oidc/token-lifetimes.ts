import { ConfigError } from '../config/config.js';

/** Lifetimes in seconds of what the token endpoint issues. */
export interface TokenLifetimes {
  authorizationCode: number;
  accessToken: number;
  idToken: number;
  refreshToken: number;
  /** How long an offline_access consent lasts: refresh tokens rotate within it, never beyond. */
  offlineConsent: number;
}

/** The profile caps refresh tokens at 30 days from each use (SPID/CIE OIDC guidelines: lifetimes, refresh tokens and offline_access — docs/references.md). */
export const MAX_REFRESH_TOKEN_SECONDS = 30 * 86400;

/**
 * Defaults per SPID/CIE OIDC guidelines: lifetimes — docs/references.md: the profile fixes only the refresh-token cap, so access
 * and ID tokens follow SPID's tested numbers (15 min, 5 min), the conservative interoperable choice.
 */
export const profileLifetimes: TokenLifetimes = {
  authorizationCode: 60,
  accessToken: 900,
  idToken: 300,
  refreshToken: MAX_REFRESH_TOKEN_SECONDS,
  // Not fixed by the profile ("MAY have an OP-defined validity"); one year, then consent again.
  offlineConsent: 365 * 86400,
};

export function tokenLifetimes(overrides: Partial<TokenLifetimes> = {}): TokenLifetimes {
  const lifetimes = { ...profileLifetimes, ...overrides };
  for (const [name, seconds] of Object.entries(lifetimes)) {
    if (!Number.isInteger(seconds) || seconds <= 0) throw new ConfigError('invalid_config', `token lifetime ${name} must be a positive number of seconds`);
  }
  if (lifetimes.refreshToken > MAX_REFRESH_TOKEN_SECONDS) throw new ConfigError('invalid_config', 'refresh tokens may live at most 30 days');
  if (lifetimes.offlineConsent < lifetimes.refreshToken) throw new ConfigError('invalid_config', 'offline consent must last at least as long as a refresh token');
  return lifetimes;
}
