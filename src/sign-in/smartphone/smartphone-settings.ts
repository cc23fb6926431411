/**
 * Lifetimes and bounds of the smartphone sign-in (docs/app-protocol.md, "Lifetimes and limits").
 * Fixed by the provider, never chosen by a request.
 */
export interface SmartphoneSettings {
  /** From the desktop's start to the app's first call (QR / typed code valid this long). */
  waitingSeconds: number;
  /** The whole cross-device session, start to OTP confirmed. */
  sessionSeconds: number;
  /** The OTP's life once the app has received it. */
  otpSeconds: number;
  /** Wrong OTPs before the session fails for good. */
  otpAttempts: number;
  /** Digits of the OTP. */
  otpDigits: number;
  /** Open SSE streams one provider process holds, all sessions together. */
  maxSubscribers: number;
  /** Open SSE streams per session (a citizen's tabs). */
  maxSubscribersPerSession: number;
  /** Comment line sent on an idle stream, so proxies keep it open. */
  heartbeatSeconds: number;
  /** How often a stream re-reads its session's state (changes made by another provider instance). */
  refreshSeconds: number;
}

export const DEFAULT_SMARTPHONE_SETTINGS: SmartphoneSettings = {
  waitingSeconds: 180,
  sessionSeconds: 600,
  otpSeconds: 120,
  otpAttempts: 5,
  otpDigits: 6,
  maxSubscribers: 10_000,
  maxSubscribersPerSession: 4,
  heartbeatSeconds: 20,
  refreshSeconds: 2,
};
