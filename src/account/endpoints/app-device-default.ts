import type { Context } from 'koa';
import type { AccountDeps } from '../account-deps.js';
import { cardProvenForm } from '../credentials/card-proven-form.js';
import { doneRedirect, showCredentialsRefusal } from '../credentials/credentials-failure.js';

/** POST /account/app-devices/default: one of the citizen's own certified devices receives the pushes from now on. */
export async function appDeviceDefault(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await cardProvenForm(ctx, deps);
  if (!posted) return;
  const { session, form, proof, credentials } = posted;
  const devices = credentials.appDevices;
  const deviceId = (form.get('device_id') ?? '').slice(0, 64);
  if (!devices || !(await devices.makeDefault(devices.citizenIndex(proof.fiscalCode), deviceId))) return showCredentialsRefusal(ctx, deps, session, 'app_device_unknown');
  await deps.history?.manage({ accountId: session.accountId, action: 'app-device-default' });
  doneRedirect(ctx, 'app-device-default');
}
