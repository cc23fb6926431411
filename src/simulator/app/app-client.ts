import { appAssertion, appDigest } from './app-assertion.js';
import { entryOf, type AppEntry } from './app-entry.js';
import { AppClientError, postJson } from './app-http.js';
import type { PhoneCardReader } from './phone-card-reader.js';

export { AppClientError, type AppClientErrorCode } from './app-http.js';
export type { AppEntry } from './app-entry.js';

/** What the app shows before asking the PIN (docs/app-protocol.md "What the app shows"). */
export interface SignInRequestShown {
  origin: string;
  host: string;
  requester: string;
  level: number;
}

export type AppOutcome = { mode: 'cross_device'; otp: string } | { mode: 'same_device'; handBackUrl: string };

/** An opened session, as the app holds it between showing the request and the PIN (a wrong PIN is retried on it). */
export interface OpenedAppSession {
  shown: SignInRequestShown;
  appToken: string;
  challenge: string;
}

/** Step 1: open the session from the QR / typed code and learn what to show the citizen. */
export async function openAppSession(entry: AppEntry, fetchImpl: typeof fetch = fetch): Promise<OpenedAppSession> {
  const { origin, body } = entryOf(entry, '/smartphone/qr');
  const opened = await postJson(`${origin}/smartphone/app/open`, body, fetchImpl);
  if (typeof opened.app_token !== 'string' || typeof opened.challenge !== 'string' || typeof opened.requester !== 'string') throw new AppClientError('bad_answer', 'open answer incomplete');
  // The provider names its origin; the app signs the one it connected to, and refuses a difference.
  if (opened.origin !== origin) throw new AppClientError('bad_answer', 'the provider named another origin');
  return { shown: { origin, host: new URL(origin).host, requester: opened.requester, level: Number(opened.level) }, appToken: opened.app_token, challenge: opened.challenge };
}

/**
 * Step 2: the card signs the origin- and session-bound challenge with the PIN, and the assertion is
 * posted. A card error (wrong PIN, card moved away) is thrown before anything is posted, so the
 * same opened session can be tried again.
 */
export async function signAndPost(session: OpenedAppSession, pin: string, reader: PhoneCardReader, fetchImpl: typeof fetch = fetch): Promise<AppOutcome> {
  const { origin } = session.shown;
  const { signature, certificate } = await reader.sign(pin, appDigest(origin, session.challenge));
  const result = await postJson(`${origin}/smartphone/app/assertion`, { app_token: session.appToken, assertion: appAssertion({ origin, challenge: session.challenge, certificate, signature }) }, fetchImpl);
  if (result.mode === 'cross_device' && typeof result.otp === 'string') return { mode: 'cross_device', otp: result.otp };
  if (result.mode === 'same_device' && typeof result.hand_back_url === 'string' && result.hand_back_url.startsWith(`${origin}/`)) return { mode: 'same_device', handBackUrl: result.hand_back_url };
  throw new AppClientError('bad_answer', 'assertion answer incomplete');
}

/**
 * The CieID-app simulator's whole sign-in: open the session from the QR / typed code, show who
 * asks, have the card sign the origin- and session-bound challenge, post the assertion, and
 * return the OTP to display or the link that hands back to the phone's browser.
 */
export async function signInWithApp(input: {
  entry: AppEntry;
  reader: PhoneCardReader;
  /** Asked after the request is shown: the citizen's PIN, or undefined to cancel. */
  askPin: (shown: SignInRequestShown) => Promise<string | undefined>;
  fetch?: typeof fetch;
}): Promise<AppOutcome | { mode: 'cancelled' }> {
  const session = await openAppSession(input.entry, input.fetch);
  const pin = await input.askPin(session.shown);
  if (pin === undefined) return { mode: 'cancelled' };
  return signAndPost(session, pin, input.reader, input.fetch);
}
