import type { ChallengeStore } from '../../cie/challenge-store.js';
import type { StateStore } from '../../storage/state-store.js';
import type { SignInBinding } from '../sign-in-binding.js';
import type { AppAssertionVerifier, VerifiedAppAssertion } from '../app-assertion-verifier.js';
import { generateOtp, otpDigest, otpMatches } from './otp.js';
import { digestOf, isHandle, normaliseTypedCode, randomHandle, sameDigest, typedCode } from '../random-handles.js';
import type { SessionState, SessionView, SmartphoneMode } from './session-state.js';
import { SmartphoneError, type SmartphoneErrorCode } from './smartphone-error.js';
import type { SmartphoneSettings } from './smartphone-settings.js';

/** The session as created by the desktop (or the phone's browser): only the session's own handles. */
export interface SessionRecord {
  id: string;
  binding: SignInBinding;
  mode: SmartphoneMode;
  origin: string;
  /** Which site asks, shown by the app (the RP's name). */
  requester: string;
  level: 3;
  /** Card number typed on the desktop (optional, as the real service asks it). */
  cardNumber?: string;
  /** The browser that started the session holds the secret; the store holds its digest. */
  browserDigest: string;
  qrNonce: string;
  typedCode: string;
  createdAt: number;
  waitingUntil: number;
  expiresAt: number;
}

interface OpenedRecord {
  appDigest: string;
  challenge: string;
  at: number;
}

interface VerifiedRecord {
  citizen: Omit<VerifiedAppAssertion, 'boundTo'>;
  codeDigest: string;
  codeExpiresAt: number;
  at: number;
}

/** What the desktop gets at the start: the browser's secret (a cookie), and what the QR / typed code carry. */
export interface StartedSession {
  sessionId: string;
  browserSecret: string;
  qrNonce: string;
  typedCode: string;
  waitingUntil: number;
  expiresAt: number;
}

/** What the app gets when it opens a session: what to show, what to sign, its token for the next call. */
export interface OpenedSession {
  appToken: string;
  origin: string;
  requester: string;
  level: 3;
  challenge: string;
  /** The app asks for the card number only when the desktop gave one (it is compared, never shown). */
  cardNumberRequired: boolean;
  expiresAt: number;
  /** For this process's streams only; never sent to the app. */
  sessionId: string;
}

/** What the app gets for a verified assertion: the OTP to display, or the link that hands back to the phone's browser. */
export type AppResult = ({ mode: 'cross_device'; otp: string } | { mode: 'same_device'; handBackPath: string }) & { expiresAt: number; /** For this process's streams only; never sent to the app. */ sessionId: string };

export interface SmartphoneSessionsDeps {
  store: StateStore;
  challenges: ChallengeStore;
  verify: AppAssertionVerifier;
  settings: SmartphoneSettings;
  origin: string;
  now?: () => number;
}

const key = {
  session: (id: string) => `phone:session:${id}`,
  qr: (nonce: string) => `phone:qr:${nonce}`,
  code: (code: string) => `phone:code:${code}`,
  app: (appDigest: string) => `phone:app:${appDigest}`,
  opened: (id: string) => `phone:opened:${id}`,
  verified: (id: string) => `phone:verified:${id}`,
  attempts: (id: string) => `phone:otp-attempts:${id}`,
  confirmed: (id: string) => `phone:confirmed:${id}`,
  failed: (id: string) => `phone:failed:${id}`,
};

/** The binding under which the session's card challenge is issued: the verifier hands it back. */
export function challengeBinding(sessionId: string): string {
  return `smartphone:${sessionId}`;
}

const fail = (code: SmartphoneErrorCode, message: string): never => {
  throw new SmartphoneError(code, message);
};

/**
 * The smartphone sign-in's state machine (docs/app-protocol.md): waiting_for_app → app_opened →
 * assertion_verified → otp_confirmed, or failed / expired. Every step is a single-use record in
 * the shared StateStore, so any provider instance can serve any request of a session.
 */
export class SmartphoneSessions {
  readonly #now: () => number;

  constructor(private readonly deps: SmartphoneSessionsDeps) {
    this.#now = deps.now ?? Date.now;
  }

  get settings(): SmartphoneSettings {
    return this.deps.settings;
  }

  /** The provider's origin: what the app signs, the base of the QR and hand-back links. */
  get origin(): string {
    return this.deps.origin;
  }

  /** The desktop (or the phone's browser) starts a sign-in for its waiter. */
  async start(input: { binding: SignInBinding; mode: SmartphoneMode; requester: string; cardNumber?: string }): Promise<StartedSession> {
    const { settings, store } = this.deps;
    const now = this.#now();
    const browserSecret = randomHandle();
    const record: SessionRecord = {
      id: randomHandle(),
      binding: input.binding,
      mode: input.mode,
      origin: this.deps.origin,
      requester: input.requester.slice(0, 200),
      level: 3,
      ...(input.cardNumber ? { cardNumber: input.cardNumber } : {}),
      browserDigest: digestOf('browser', browserSecret),
      qrNonce: randomHandle(),
      typedCode: typedCode(),
      createdAt: now,
      waitingUntil: now + settings.waitingSeconds * 1000,
      expiresAt: now + settings.sessionSeconds * 1000,
    };
    await store.putIfAbsent(key.session(record.id), record, settings.sessionSeconds);
    await store.putIfAbsent(key.qr(record.qrNonce), { id: record.id }, settings.waitingSeconds);
    // A typed code that collides with a live one (1 in 2^40 per live code) is simply not offered.
    const codeStored = await store.putIfAbsent(key.code(record.typedCode), { id: record.id }, settings.waitingSeconds);
    return { sessionId: record.id, browserSecret, qrNonce: record.qrNonce, typedCode: codeStored ? record.typedCode : '', waitingUntil: record.waitingUntil, expiresAt: record.expiresAt };
  }

  /**
   * The app opens the session by the QR's nonce or the typed code. Both are taken at once (single
   * use: a second phone, or a replayed QR, finds nothing); the app receives its own token and the
   * card challenge, bound to this session and to the provider's origin.
   */
  async open(by: { qr?: unknown; code?: unknown }): Promise<OpenedSession> {
    const { store, challenges, settings } = this.deps;
    const typed = by.code === undefined ? undefined : normaliseTypedCode(by.code);
    if (by.qr !== undefined ? !isHandle(by.qr) : typed === undefined) fail('malformed_request', 'a QR nonce or a typed code is required');
    const pointer = by.qr !== undefined ? await store.take<{ id: string }>(key.qr(by.qr as string)) : await store.take<{ id: string }>(key.code(typed!));
    if (!pointer) return fail('qr_invalid', 'QR or code unknown, expired or already used');
    const record = await this.#session(pointer.id);
    // The other way in goes too: one session, one phone.
    await (by.qr !== undefined ? store.take(key.code(record.typedCode)) : store.take(key.qr(record.qrNonce)));
    const now = this.#now();
    const state = await this.state(record.id);
    if (state.state !== 'waiting_for_app') fail(state.state === 'expired' ? 'session_expired' : 'wrong_state', `open in state ${state.state}`);
    const appToken = randomHandle();
    const challenge = await challenges.issue(challengeBinding(record.id), record.origin);
    const opened: OpenedRecord = { appDigest: digestOf('app', appToken), challenge: challenge.challenge, at: now };
    if (!(await store.putIfAbsent(key.opened(record.id), opened, settings.sessionSeconds))) {
      await challenges.consume(challenge.challenge);
      fail('qr_invalid', 'the session was already opened by an app');
    }
    await store.putIfAbsent(key.app(opened.appDigest), { id: record.id }, settings.sessionSeconds);
    return {
      appToken,
      origin: record.origin,
      requester: record.requester,
      level: record.level,
      challenge: challenge.challenge,
      cardNumberRequired: record.cardNumber !== undefined,
      expiresAt: Math.min(challenge.expiresAt, record.expiresAt),
      sessionId: record.id,
    };
  }

  /**
   * The app posts the card's assertion with its token. The verifier takes the challenge (one try)
   * and must find this session's binding; only then is anything about the citizen stored, and the
   * app receives the OTP (or the hand-back link). A refused assertion fails the session.
   */
  async acceptAssertion(appToken: unknown, rawAssertion: unknown): Promise<AppResult> {
    const { store, settings } = this.deps;
    if (!isHandle(appToken) || typeof rawAssertion !== 'string') return fail('malformed_request', 'app token and assertion are required');
    const pointer = await store.get<{ id: string }>(key.app(digestOf('app', appToken)));
    if (!pointer) return fail('session_not_found', 'unknown app token');
    const record = await this.#session(pointer.id);
    const state = await this.state(record.id);
    if (state.state !== 'app_opened') return fail(state.state === 'expired' ? 'session_expired' : 'wrong_state', `assertion posted in state ${state.state}`);
    let verified: VerifiedAppAssertion;
    try {
      verified = await this.deps.verify(rawAssertion, challengeBinding(record.id));
    } catch (cause) {
      const code = (cause as { code?: unknown }).code;
      // A challenge already taken means another post of this session (an app's retry) is deciding the
      // outcome: that one fails the session if it is refused, this one must not undo its success.
      if (code !== 'challenge_not_found') await this.#fail(record.id, typeof code === 'string' ? code : 'assertion_refused');
      throw new SmartphoneError('assertion_refused', 'the card assertion was refused', { reason: code, sessionId: record.id }, { cause });
    }
    if (verified.boundTo !== challengeBinding(record.id)) return fail('not_this_session', 'challenge of another session');
    if (record.cardNumber !== undefined && record.cardNumber !== verified.documentNumber) {
      await this.#fail(record.id, 'card_mismatch');
      throw new SmartphoneError('card_mismatch', 'the card read is not the one named on the desktop', { sessionId: record.id });
    }
    const now = this.#now();
    const code = record.mode === 'cross_device' ? generateOtp(settings.otpDigits) : randomHandle();
    const codeExpiresAt = Math.min(now + settings.otpSeconds * 1000, record.expiresAt);
    const { boundTo: _bound, ...citizen } = verified;
    const stored: VerifiedRecord = { citizen, codeDigest: otpDigest(record.id, code), codeExpiresAt, at: now };
    if (!(await store.putIfAbsent(key.verified(record.id), stored, settings.sessionSeconds))) fail('wrong_state', 'already verified');
    return record.mode === 'cross_device'
      ? { mode: 'cross_device', otp: code, expiresAt: codeExpiresAt, sessionId: record.id }
      : { mode: 'same_device', handBackPath: `/smartphone/return/${record.id}?code=${code}`, expiresAt: codeExpiresAt, sessionId: record.id };
  }

  /**
   * The browser that started the session (its secret) gives back the code: typed OTP or the
   * hand-back link's code. Bounded attempts, constant-time comparison, and the winning
   * confirmation is written once: the citizen is handed out exactly once.
   */
  async confirm(sessionId: unknown, browserSecret: unknown, typed: unknown): Promise<{ binding: SignInBinding; citizen: VerifiedRecord['citizen'] }> {
    const { store, settings } = this.deps;
    const record = await this.#ownedSession(sessionId, browserSecret);
    const state = await this.state(record.id);
    if (state.state === 'expired') fail(state.code === 'otp_expired' ? 'otp_expired' : 'session_expired', 'too late');
    if (state.state === 'failed' && state.code === 'too_many_otp_attempts') fail('too_many_otp_attempts', 'attempts used up');
    if (state.state !== 'assertion_verified') fail('wrong_state', `confirm in state ${state.state}`);
    const verified = (await store.get<VerifiedRecord>(key.verified(record.id)))!;
    const attempts = await store.increment(key.attempts(record.id), settings.sessionSeconds);
    if (attempts > settings.otpAttempts) {
      await this.#fail(record.id, 'too_many_otp_attempts');
      fail('too_many_otp_attempts', 'attempts used up');
    }
    const digits = record.mode === 'cross_device' ? settings.otpDigits : 0;
    const matches = digits > 0 ? otpMatches(verified.codeDigest, record.id, typed, digits) : isHandle(typed) && sameDigest(verified.codeDigest, otpDigest(record.id, typed));
    if (!matches) {
      if (attempts >= settings.otpAttempts) {
        await this.#fail(record.id, 'too_many_otp_attempts');
        fail('too_many_otp_attempts', 'last attempt was wrong');
      }
      fail('wrong_otp', 'wrong code');
    }
    if (!(await store.putIfAbsent(key.confirmed(record.id), { at: this.#now() }, settings.sessionSeconds))) fail('wrong_state', 'already confirmed');
    return { binding: record.binding, citizen: verified.citizen };
  }

  /** The desktop's view of its session (its secret checked). */
  async view(sessionId: unknown, browserSecret: unknown): Promise<SessionView> {
    const record = await this.#ownedSession(sessionId, browserSecret);
    return this.state(record.id);
  }

  /** Checks that a browser owns the session (for the SSE stream, before subscribing). */
  async checkOwner(sessionId: unknown, browserSecret: unknown): Promise<string> {
    return (await this.#ownedSession(sessionId, browserSecret)).id;
  }

  /** The citizen cancels on the desktop or in the app: the session fails for good. */
  async cancel(sessionId: unknown, browserSecret: unknown): Promise<void> {
    const record = await this.#ownedSession(sessionId, browserSecret);
    await this.#fail(record.id, 'cancelled');
  }

  /** The session's state, read from the store alone (any instance, any time): the SSE events replay this. */
  async state(sessionId: string): Promise<SessionView> {
    const { store } = this.deps;
    const now = this.#now();
    const record = await store.get<SessionRecord>(key.session(sessionId));
    if (!record || now >= record.expiresAt) return { state: 'expired', code: 'session_expired' };
    const failed = await store.get<{ code: string }>(key.failed(sessionId));
    if (failed) return { state: 'failed', code: failed.code };
    if (await store.get(key.confirmed(sessionId))) return { state: 'otp_confirmed' };
    const verified = await store.get<VerifiedRecord>(key.verified(sessionId));
    if (verified) return now >= verified.codeExpiresAt ? { state: 'expired', code: 'otp_expired' } : { state: 'assertion_verified', deadline: verified.codeExpiresAt };
    if (await store.get(key.opened(sessionId))) return { state: 'app_opened', deadline: record.expiresAt };
    if (now >= record.waitingUntil) return { state: 'expired', code: 'session_expired' };
    return { state: 'waiting_for_app', deadline: record.waitingUntil };
  }

  /** The session record for the desktop page's first draw (QR, typed code); its secret checked. */
  async ownedRecord(sessionId: unknown, browserSecret: unknown): Promise<SessionRecord> {
    return this.#ownedSession(sessionId, browserSecret);
  }

  async #session(id: string): Promise<SessionRecord> {
    const record = await this.deps.store.get<SessionRecord>(key.session(id));
    if (!record) return fail('session_not_found', 'no such session');
    return record;
  }

  async #ownedSession(sessionId: unknown, browserSecret: unknown): Promise<SessionRecord> {
    if (!isHandle(sessionId) || !isHandle(browserSecret)) return fail('not_this_session', 'session id and browser secret required');
    const record = await this.#session(sessionId);
    if (!sameDigest(record.browserDigest, digestOf('browser', browserSecret))) fail('not_this_session', 'another browser');
    return record;
  }

  async #fail(id: string, code: string): Promise<void> {
    await this.deps.store.putIfAbsent(key.failed(id), { code }, this.deps.settings.sessionSeconds);
  }
}

export type { SessionState };
