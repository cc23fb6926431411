import type { Context } from 'koa';
import type { AccountDeps } from '../account-deps.js';
import { cardProvenForm } from '../credentials/card-proven-form.js';
import { doneRedirect, showCredentialsRefusal } from '../credentials/credentials-failure.js';

/**
 * POST /account/app-devices/withdraw: one of the citizen's own certified devices is withdrawn (another
 * citizen's id matches nothing). Its key signs nothing more: a request from it is `app_device_unknown`.
 */
export async function appDeviceWithdraw(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await cardProvenForm(ctx, deps);
  if (!posted) return;
  const { session, form, proof, credentials } = posted;
  const devices = credentials.appDevices;
  const deviceId = (form.get('device_id') ?? '').slice(0, 64);
  if (!devices || !(await devices.withdraw(devices.citizenIndex(proof.fiscalCode), deviceId))) return showCredentialsRefusal(ctx, deps, session, 'app_device_unknown');
  await deps.history?.manage({ accountId: session.accountId, action: 'app-device-withdrawn' });
  doneRedirect(ctx, 'app-device-withdrawn');
}
