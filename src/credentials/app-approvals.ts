import { randomBytes, randomInt } from 'node:crypto';
import type { StateStore } from '../storage/state-store.js';
import { AppFactorError } from './app-factor-error.js';

/** `APP_APPROVAL_TTL`: how long a push or a QR waits for the app (bounded 30–300 in src/config). */
export const DEFAULT_APP_APPROVAL_SECONDS = 120;
/**
 * Pushes per citizen per window: a guessed password must not let anyone flood the citizen's phone (push fatigue);
 * number matching is the other guard.
 */
export const PUSHES_PER_CITIZEN = 10;
const PUSH_WINDOW_SECONDS = 600;
/** Records outlive their approval a little, so the waiting page can still read "expired". */
const READABLE_AFTER_SECONDS = 60;

export type ApprovalKind = 'push' | 'qr';
export type UserVerification = 'pin' | 'fpt' | 'face';
export const USER_VERIFICATIONS: readonly UserVerification[] = ['pin', 'fpt', 'face'];

/** One approval as opened by a browser's sign-in. */
export interface ApprovalRecord {
  id: string;
  kind: ApprovalKind;
  /** The waiter's binding (`<waiter>:<id>`), for the logs; the browser's ceremony holds the owner's cookie. */
  boundTo: string;
  requester: string;
  level: string;
  createdAt: number;
  expiresAt: number;
  /** Push: the device it was sent to, its citizen, the number the browser shows and the three the app offers. */
  deviceId?: string;
  citizenIndex?: string;
  number?: number;
  numbers?: number[];
  /** QR: what the QR link's fragment and the typed code carry. */
  qrNonce?: string;
  typedCode?: string;
}

/** A decision, written once: of two racing answers exactly one is recorded. */
interface Decision {
  state: 'approved' | 'denied' | 'failed';
  code?: string;
  deviceId?: string;
  citizenIndex?: string;
  userVerification?: UserVerification;
  at: number;
}

export type ApprovalState = 'waiting' | 'opened' | 'approved' | 'denied' | 'failed' | 'expired';

export interface ApprovalView {
  state: ApprovalState;
  code?: string;
  expiresAt: number;
}

/** What the waiting browser gets once the device approved: whose device, how the citizen unlocked it. */
export interface Approved {
  deviceId: string;
  citizenIndex: string;
  userVerification: UserVerification;
}

const key = {
  approval: (id: string) => `app-approval:${id}`,
  push: (deviceId: string) => `app-approval-push:${deviceId}`,
  qr: (nonce: string) => `app-approval-qr:${nonce}`,
  code: (code: string) => `app-approval-code:${code}`,
  opened: (id: string) => `app-approval-opened:${id}`,
  decided: (id: string) => `app-approval-decided:${id}`,
  finished: (id: string) => `app-approval-finished:${id}`,
};

const ID = /^[A-Za-z0-9_-]{32}$/;
const NONCE = /^[A-Za-z0-9_-]{43}$/;

/** Three distinct numbers 10–99, one of them `number`, in random order: the app asks the citizen to pick the browser's. */
export function numbersOffered(number: number): number[] {
  const numbers = new Set([number]);
  while (numbers.size < 3) numbers.add(randomInt(10, 100));
  const list = [...numbers];
  for (let i = list.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

export interface AppApprovalsDeps {
  store: StateStore;
  ttlSeconds?: number;
  now?: () => number;
}

/**
 * The app's approvals (docs/app-protocol.md, "Level 2: the app as a factor"): short-lived records in the
 * StateStore, never the database. Each state after `waiting` is one record written once
 * (insert-if-absent), as smartphone sessions are: `opened` (a QR bound to the first device that
 * opened it), then the decision (approved, denied, failed). Any provider instance serves any step.
 */
export class AppApprovals {
  readonly #now: () => number;
  readonly ttlSeconds: number;

  constructor(private readonly deps: AppApprovalsDeps) {
    this.#now = deps.now ?? Date.now;
    this.ttlSeconds = deps.ttlSeconds ?? DEFAULT_APP_APPROVAL_SECONDS;
  }

  /** A push to the citizen's default device, with the number the browser shows (10–99). */
  async openPush(input: { citizenIndex: string; deviceId: string; requester: string; level: string; boundTo: string }): Promise<ApprovalRecord> {
    if ((await this.deps.store.increment(`app-pushes:${input.citizenIndex}`, PUSH_WINDOW_SECONDS)) > PUSHES_PER_CITIZEN) throw new AppFactorError('too_many_app_pushes', 'too many pushes to this citizen in the window');
    const number = randomInt(10, 100);
    const record = this.#record('push', input, { deviceId: input.deviceId, citizenIndex: input.citizenIndex, number, numbers: numbersOffered(number) });
    await this.deps.store.putIfAbsent(key.approval(record.id), record, this.#keep());
    // The newest push is the one the device is asked about: an older one simply waits out its time.
    await this.deps.store.put(key.push(input.deviceId), { id: record.id }, this.ttlSeconds);
    return record;
  }

  /** A QR (and its typed code) any certified device may open, once. */
  async openQr(input: { requester: string; level: string; boundTo: string; typedCode: string }): Promise<ApprovalRecord> {
    const nonce = randomBytes(32).toString('base64url');
    const record = this.#record('qr', input, { qrNonce: nonce, typedCode: input.typedCode });
    await this.deps.store.putIfAbsent(key.approval(record.id), record, this.#keep());
    await this.deps.store.putIfAbsent(key.qr(nonce), { id: record.id }, this.ttlSeconds);
    // A typed code that collides with a live one (1 in 2^40 per live code) is simply not offered.
    if (!(await this.deps.store.putIfAbsent(key.code(input.typedCode), { id: record.id }, this.ttlSeconds))) {
      const withoutCode = { ...record, typedCode: '' };
      await this.deps.store.put(key.approval(record.id), withoutCode, this.#keep());
      return withoutCode;
    }
    return record;
  }

  async record(approvalId: string): Promise<ApprovalRecord | undefined> {
    if (!ID.test(approvalId)) return undefined;
    return this.deps.store.get<ApprovalRecord>(key.approval(approvalId));
  }

  /** The newest push waiting for this device, if it still waits. */
  async pendingFor(deviceId: string): Promise<ApprovalRecord | undefined> {
    const pointer = await this.deps.store.get<{ id: string }>(key.push(deviceId));
    const record = pointer && (await this.record(pointer.id));
    if (!record || record.deviceId !== deviceId) return undefined;
    return (await this.state(record.id)).state === 'waiting' ? record : undefined;
  }

  /** The app opened a QR (by its nonce or typed code): the approval is bound to this device, the first and only one. */
  async openByQr(opening: { qr?: string; code?: string }, deviceId: string): Promise<ApprovalRecord> {
    const pointerKey = opening.qr !== undefined ? (NONCE.test(opening.qr) ? key.qr(opening.qr) : undefined) : opening.code ? key.code(opening.code) : undefined;
    const pointer = pointerKey ? await this.deps.store.take<{ id: string }>(pointerKey) : undefined;
    const record = pointer && (await this.record(pointer.id));
    if (!record || record.kind !== 'qr') throw new AppFactorError('approval_unknown', 'no live QR approval for this nonce or code');
    // The nonce and the code are one approval: both are spent by the first opening.
    if (record.qrNonce) await this.deps.store.take(key.qr(record.qrNonce));
    if (record.typedCode) await this.deps.store.take(key.code(record.typedCode));
    if (this.#now() > record.expiresAt) throw new AppFactorError('app_approval_expired', 'the QR approval has expired');
    if (await this.deps.store.get(key.decided(record.id))) throw new AppFactorError('approval_unknown', 'the QR approval was cancelled');
    if (!(await this.deps.store.putIfAbsent(key.opened(record.id), { deviceId, at: this.#now() }, this.#keep()))) throw new AppFactorError('approval_unknown', 'the QR was opened by another device');
    return record;
  }

  /**
   * The device's answer. Only the device the approval is for (push) or that opened it (QR) may answer;
   * any other gets `approval_unknown`. A push's wrong number fails the approval for good (no second
   * guess). The first decision written wins.
   */
  async decide(input: { approvalId: string; deviceId: string; citizenIndex: string; decision: 'approve' | 'deny'; number?: unknown; userVerification?: UserVerification }): Promise<'approved' | 'denied'> {
    const record = await this.record(input.approvalId);
    if (!record) throw new AppFactorError('approval_unknown', 'no such approval');
    const owner = record.kind === 'push' ? record.deviceId : (await this.deps.store.get<{ deviceId: string }>(key.opened(record.id)))?.deviceId;
    if (owner !== input.deviceId) throw new AppFactorError('approval_unknown', 'the approval is not this device\'s');
    if (await this.deps.store.get(key.decided(record.id))) throw new AppFactorError('approval_unknown', 'the approval was already answered');
    if (this.#now() > record.expiresAt) throw new AppFactorError('app_approval_expired', 'the approval has expired');
    const write = (decision: Omit<Decision, 'at'>) => this.deps.store.putIfAbsent(key.decided(record.id), { ...decision, at: this.#now() }, this.#keep());
    if (input.decision === 'deny') {
      if (!(await write({ state: 'denied', deviceId: input.deviceId }))) throw new AppFactorError('approval_unknown', 'the approval was already answered');
      return 'denied';
    }
    if (record.kind === 'push' && input.number !== record.number) {
      await write({ state: 'failed', code: 'app_number_mismatch', deviceId: input.deviceId });
      throw new AppFactorError('app_number_mismatch', 'the number picked is not the one the browser shows');
    }
    const approved: Omit<Decision, 'at'> = { state: 'approved', deviceId: input.deviceId, citizenIndex: input.citizenIndex, userVerification: input.userVerification ?? 'pin' };
    if (!(await write(approved))) throw new AppFactorError('approval_unknown', 'the approval was already answered');
    return 'approved';
  }

  /** The browser gave up ("Annulla"): a failure, unless the app answered first. */
  async cancel(approvalId: string): Promise<void> {
    if (!ID.test(approvalId)) return;
    await this.deps.store.putIfAbsent(key.decided(approvalId), { state: 'failed', code: 'cancelled', at: this.#now() }, this.#keep());
  }

  /** What the waiting page shows. */
  async state(approvalId: string): Promise<ApprovalView> {
    const record = await this.record(approvalId);
    if (!record) return { state: 'expired', code: 'app_approval_expired', expiresAt: 0 };
    const decided = await this.deps.store.get<Decision>(key.decided(record.id));
    if (decided) {
      const code = decided.state === 'denied' ? 'app_approval_denied' : decided.code;
      return { state: decided.state, ...(code ? { code } : {}), expiresAt: record.expiresAt };
    }
    if (this.#now() > record.expiresAt) return { state: 'expired', code: 'app_approval_expired', expiresAt: record.expiresAt };
    if (record.kind === 'qr' && (await this.deps.store.get(key.opened(record.id)))) return { state: 'opened', expiresAt: record.expiresAt };
    return { state: 'waiting', expiresAt: record.expiresAt };
  }

  /** The approved outcome, handed out once (a second finish of the same approval gets nothing). */
  async finish(approvalId: string): Promise<Approved | undefined> {
    const decided = ID.test(approvalId) ? await this.deps.store.get<Decision>(key.decided(approvalId)) : undefined;
    if (decided?.state !== 'approved' || !decided.deviceId || !decided.citizenIndex || !decided.userVerification) return undefined;
    if (!(await this.deps.store.putIfAbsent(key.finished(approvalId), { at: this.#now() }, this.#keep()))) return undefined;
    return { deviceId: decided.deviceId, citizenIndex: decided.citizenIndex, userVerification: decided.userVerification };
  }

  #record(kind: ApprovalKind, input: { requester: string; level: string; boundTo: string }, extra: Partial<ApprovalRecord>): ApprovalRecord {
    const now = this.#now();
    return { id: randomBytes(24).toString('base64url'), kind, boundTo: input.boundTo, requester: input.requester.slice(0, 200), level: input.level, createdAt: now, expiresAt: now + this.ttlSeconds * 1000, ...extra };
  }

  #keep(): number {
    return this.ttlSeconds + READABLE_AFTER_SECONDS;
  }
}
