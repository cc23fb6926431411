import type { Context } from 'koa';
import { CredentialsError } from '../../credentials/credentials-error.js';
import { MailError } from '../../mail/mail-error.js';
import { requestLanguage } from '../../shared/request-language.js';
import type { AccountDeps } from '../account-deps.js';
import { showAccess } from '../account-pages.js';
import type { AccountSession } from '../account-sessions.js';
import { credentialsNotice, credentialsNoticeStatus } from './credentials-notices.js';
import type { CredentialsForm } from './credentials-part.js';

/** Shows the page with why the change did not happen (a code of the credentials room or the page's own). */
export async function showCredentialsRefusal(ctx: Context, deps: AccountDeps, session: AccountSession, code: string, form?: CredentialsForm): Promise<void> {
  const lang = requestLanguage(ctx);
  await showAccess(ctx, deps, lang, session, credentialsNotice(code, lang), credentialsNoticeStatus(code), form);
}

/**
 * Runs a change; a refusal the citizen can act on (a wrong code, a passkey cancelled, mail down)
 * becomes the page with its notice. Anything else (storage down: the guard's 503) goes on up.
 */
export async function refusalsShown(ctx: Context, deps: AccountDeps, session: AccountSession, change: () => Promise<void>, form?: CredentialsForm): Promise<void> {
  try {
    await change();
  } catch (error) {
    if (error instanceof CredentialsError || error instanceof MailError) return showCredentialsRefusal(ctx, deps, session, error.code, form);
    throw error;
  }
}

/** After a change: back to the page with what happened (a GET, so a reload does not post again). */
export function doneRedirect(ctx: Context, done: string): void {
  ctx.status = 303;
  ctx.redirect(`/account?done=${done}`);
}
