import type { Context } from 'koa';
import { historyCsv } from '../access-history-export.js';
import type { AccountDeps } from '../account-deps.js';
import { formSession } from '../request-session.js';

/** POST /account/history: the citizen downloads their records (JSON or CSV); the registry records the download first. */
export async function historyDownload(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await formSession(ctx, deps);
  // Without a registry there is nothing to download: the route answers as an unknown one (404).
  if (!posted || !deps.history) return;
  const records = await deps.history.download(posted.session.accountId);
  const csv = posted.form.get('format') === 'csv';
  ctx.set('Cache-Control', 'no-store');
  ctx.attachment(csv ? 'accessi-cie.csv' : 'accessi-cie.json');
  ctx.type = csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8';
  ctx.body = csv ? historyCsv(records) : JSON.stringify({ records }, null, 2);
}
