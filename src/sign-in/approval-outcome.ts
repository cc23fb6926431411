import type { AppApprovals, Approved } from '../credentials/app-approvals.js';
import type { SignInOutcome } from './sign-in-outcome.js';
import type { VerifiedCitizen } from './verified-citizen.js';

/**
 * Where a waiting browser's approval stands when it asks to finish: still waiting (nothing to hand
 * over yet), or the outcome for its waiter — the citizen once the device approved (handed out once),
 * the failure's code otherwise (denied, wrong number, expired, cancelled).
 */
export async function approvalOutcome(
  approvals: AppApprovals,
  approvalId: string,
  method: string,
  citizenOf: (approved: Approved) => Promise<VerifiedCitizen | undefined>,
): Promise<SignInOutcome | 'waiting'> {
  const view = await approvals.state(approvalId);
  if (view.state === 'waiting' || view.state === 'opened') return 'waiting';
  if (view.state !== 'approved') return { kind: 'failure', method, code: view.code ?? 'app_approval_expired' };
  const approved = await approvals.finish(approvalId);
  const citizen = approved && (await citizenOf(approved));
  return citizen ? { kind: 'verified', citizen } : { kind: 'failure', method, code: 'approval_unknown' };
}
