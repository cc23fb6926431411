/**
 * The states of a smartphone sign-in, in the order they can happen. Each state after the first is
 * one record written once (insert-if-absent), so a state is never taken back and two racing
 * writers cannot both move the session: the StateStore has no compare-and-set, and needs none.
 */
export const SESSION_STATES = ['waiting_for_app', 'app_opened', 'assertion_verified', 'otp_confirmed', 'failed', 'expired'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** The SSE event id of each state: a reconnecting page sends the last one it saw (Last-Event-ID). */
export const STATE_SEQUENCE: Readonly<Record<SessionState, number>> = {
  waiting_for_app: 1,
  app_opened: 2,
  assertion_verified: 3,
  otp_confirmed: 4,
  failed: 5,
  expired: 5,
};

export function isFinal(state: SessionState): boolean {
  return state === 'otp_confirmed' || state === 'failed' || state === 'expired';
}

/** How the phone hands the result back: a code typed on the computer, or a link opened in the same phone's browser. */
export type SmartphoneMode = 'cross_device' | 'same_device';

/** What the desktop page is told at each step (never a secret, never a personal datum). */
export interface SessionView {
  state: SessionState;
  /** The typed failure, for `failed` and `expired`. */
  code?: string;
  /** Epoch ms when the current step's time runs out. */
  deadline?: number;
}
