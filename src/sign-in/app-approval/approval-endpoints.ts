import type { Context } from 'koa';
import { USER_VERIFICATIONS, type ApprovalRecord, type UserVerification } from '../../credentials/app-approvals.js';
import { verifyDeviceRequest, type VerifiedDeviceRequest } from '../../credentials/device-request.js';
import { readJsonObject } from '../json-body.js';
import { normaliseTypedCode } from '../random-handles.js';
import type { AppApprovalDeps } from './app-approval-deps.js';
import { AppCallError } from './app-json.js';

/** The device-signed request in the body's `field`, verified (nothing is written before its signature verifies). */
async function signedBy(deps: AppApprovalDeps, ctx: Context, field: 'request' | 'response'): Promise<VerifiedDeviceRequest> {
  const body = await readJsonObject(ctx);
  return verifyDeviceRequest(body[field], { devices: deps.devices, store: deps.store, origin: deps.origin });
}

/** An approval as the app shows it: who asks, at which level, until when (and, for a push, the three numbers). */
function shown(record: ApprovalRecord): Record<string, unknown> {
  return {
    approval: record.id,
    kind: record.kind,
    requester: record.requester,
    level: record.level,
    ...(record.kind === 'push' ? { numbers: record.numbers } : {}),
    expires_at: record.expiresAt,
  };
}

/** POST /app/approvals/pending: the newest push waiting for this device (at most one). */
export async function pendingApprovals(deps: AppApprovalDeps, ctx: Context): Promise<void> {
  const { device } = await signedBy(deps, ctx, 'request');
  const pending = await deps.approvals.pendingFor(device.deviceId);
  ctx.body = { approvals: pending ? [shown(pending)] : [] };
}

/** POST /app/approvals/open: the app scanned a level-2 QR (or was given its typed code); the approval is now this device's. */
export async function openApproval(deps: AppApprovalDeps, ctx: Context): Promise<void> {
  const { device, payload } = await signedBy(deps, ctx, 'request');
  const opening = typeof payload.qr === 'string' ? { qr: payload.qr } : { code: normaliseTypedCode(payload.code) ?? '' };
  const record = await deps.approvals.openByQr(opening, device.deviceId);
  ctx.body = shown(record);
}

/** POST /app/approvals/:id: the citizen's answer on the device (approve with the number picked, or deny). */
export async function decideApproval(deps: AppApprovalDeps, ctx: Context): Promise<void> {
  const approvalId = String(ctx.params.id);
  const { device, payload } = await signedBy(deps, ctx, 'response');
  if (payload.approval !== approvalId || (payload.decision !== 'approve' && payload.decision !== 'deny')) throw new AppCallError('app_request_invalid');
  const userVerification = USER_VERIFICATIONS.find((uv) => uv === payload.user_verification) as UserVerification | undefined;
  if (payload.decision === 'approve' && !userVerification) throw new AppCallError('app_request_invalid');
  // The database's bookkeeping first: if it fails the app is told 503 and no decision has been written,
  // rather than an approval the browser could redeem while the app shows an error.
  await deps.devices.recordUse(device.deviceId);
  const state = await deps.approvals.decide({
    approvalId,
    deviceId: device.deviceId,
    citizenIndex: device.citizenIndex,
    decision: payload.decision,
    number: payload.number,
    ...(userVerification ? { userVerification } : {}),
  });
  ctx.body = { state };
}
