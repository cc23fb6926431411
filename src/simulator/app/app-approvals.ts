import { entryOf, type AppEntry } from './app-entry.js';
import { AppClientError, postJson } from './app-http.js';
import { deviceRequest } from './device-jws.js';
import type { UnlockedDevice } from './device-key-store.js';
import { offeredNumbers } from './number-choice.js';

/** A level-2 request as the app shows it: who asks, at which level, and (push) the three numbers to pick from. */
export interface ApprovalShown {
  approval: string;
  kind: 'push' | 'qr';
  requester: string;
  level: string;
  /** The provider's host, from the app's own configuration or the link it opened, never from an answer. */
  host: string;
  numbers?: number[];
  expiresAt: number;
}

/** How the citizen unlocked the key: the security code is knowledge, `pin` in RFC 8176's terms. */
export type UserVerification = 'pin' | 'fpt' | 'face';

export type Decision = { approve: true; number?: number; userVerification: UserVerification } | { approve: false };

const APPROVAL_ID = /^[A-Za-z0-9_-]{16,64}$/;

function shown(answer: Record<string, unknown>, origin: string): ApprovalShown {
  const { approval, kind, requester, level, expires_at: expiresAt } = answer;
  if (typeof approval !== 'string' || !APPROVAL_ID.test(approval)) throw new AppClientError('bad_answer', 'approval id missing or malformed');
  if ((kind !== 'push' && kind !== 'qr') || typeof requester !== 'string' || requester.length > 200 || typeof level !== 'string' || typeof expiresAt !== 'number') throw new AppClientError('bad_answer', 'approval incomplete');
  const base = { approval, kind, requester, level, host: new URL(origin).host, expiresAt } as const;
  if (kind === 'qr') return base;
  const numbers = offeredNumbers(answer.numbers);
  if (!numbers) throw new AppClientError('bad_answer', 'a push must offer three numbers');
  return { ...base, numbers };
}

/** The newest push waiting for this device (none: an empty list): the app pulls it after a wake-up, or when opened. */
export async function pendingApprovals(device: UnlockedDevice, fetchImpl: typeof fetch = fetch): Promise<ApprovalShown[]> {
  const answer = await postJson(`${device.origin}/app/approvals/pending`, { request: await deviceRequest(device) }, fetchImpl);
  if (!Array.isArray(answer.approvals)) throw new AppClientError('bad_answer', 'no approvals list');
  return (answer.approvals as unknown[]).slice(0, 4).map((item) => shown((item ?? {}) as Record<string, unknown>, device.origin));
}

/** The origin a level-2 QR (`<origin>/app/l2#<nonce>`) or typed code points at, and the body that opens it: read before unlocking the key. */
export const l2EntryOf = (entry: AppEntry) => entryOf(entry, '/app/l2');

/** Opens the desktop's level-2 QR (or typed code) for this device: the approval is bound to it, and shown. */
export async function openQrApproval(device: UnlockedDevice, opening: { qr: string } | { code: string }, fetchImpl: typeof fetch = fetch): Promise<ApprovalShown> {
  const answer = await postJson(`${device.origin}/app/approvals/open`, { request: await deviceRequest(device, opening) }, fetchImpl);
  const approval = shown(answer, device.origin);
  if (approval.kind !== 'qr') throw new AppClientError('bad_answer', 'a QR opened something else');
  return approval;
}

/** The citizen's answer, signed by the device: `approved` or `denied` as the provider recorded it. */
export async function decideApproval(device: UnlockedDevice, approvalId: string, decision: Decision, fetchImpl: typeof fetch = fetch): Promise<'approved' | 'denied'> {
  if (!APPROVAL_ID.test(approvalId)) throw new AppClientError('bad_answer', 'approval id malformed');
  const fields = decision.approve
    ? { approval: approvalId, decision: 'approve', user_verification: decision.userVerification, ...(decision.number !== undefined ? { number: decision.number } : {}) }
    : { approval: approvalId, decision: 'deny' };
  const answer = await postJson(`${device.origin}/app/approvals/${approvalId}`, { response: await deviceRequest(device, fields) }, fetchImpl);
  if (answer.state !== 'approved' && answer.state !== 'denied') throw new AppClientError('bad_answer', 'no decision state');
  return answer.state;
}
