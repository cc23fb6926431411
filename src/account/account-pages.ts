import type { Context } from 'koa';
import { claimLabels } from '../oidc/cie-claims.js';
import { renderPage } from '../shared/html.js';
import type { Language } from '../shared/language.js';
import { historyMessagesFor } from './access-history-messages.js';
import type { Notice } from './account-notices.js';
import type { AccountDeps } from './account-deps.js';
import type { AccountSession } from './account-sessions.js';
import { accountStartPath } from './account-sign-in-waiter.js';
import { credentialsPart, type CredentialsForm } from './credentials/credentials-part.js';
import { appDevicesPart } from './endpoints/app-devices-part.js';
import { displayDate } from './display-date.js';
import { historyRow } from './history-rows.js';
import { accountMessagesFor } from './messages.js';

function pageData(lang: Language, extra: Record<string, unknown>) {
  const m = accountMessagesFor(lang);
  return { lang, m, title: m.accountTitle, assets: '/assets', notice: undefined, ...extra };
}

/** The page without a session: what it is for, and each sign-in method's entry ("Entra con CIE"). */
export async function showSignIn(ctx: Context, deps: Pick<AccountDeps, 'methods'>, lang: Language, notice?: Notice, status = 200): Promise<void> {
  const methods = deps.methods.map((method) => ({ view: method.choiceView, startPath: accountStartPath(method) }));
  // Drawn for a one-time ticket or a form post: the switch leads to the page itself, not back there.
  const languageSwitchPath = ctx.method === 'GET' && ctx.path === '/account' ? undefined : '/account';
  await renderPage(ctx, 'account-sign-in', pageData(lang, { notice, methods }), { status, ...(languageSwitchPath ? { languageSwitchPath } : {}) });
}

/** The signed-in page: the relying parties holding offline access, and the history of accesses. */
export async function showAccess(ctx: Context, deps: AccountDeps, lang: Language, session: AccountSession, notice?: Notice, status = 200, form?: CredentialsForm): Promise<void> {
  const accesses = (await deps.offlineAccess.list(session.accountId)).map((access) => ({
    clientId: access.clientId,
    clientName: access.clientName,
    grantedOn: displayDate(access.grantedAt, lang),
    attributes: access.claims.map((claim) => claimLabels[claim]![lang]),
  }));
  const history = (await deps.history?.list(session.accountId) ?? []).map((record) => historyRow(record, lang));
  const credentials = deps.credentials ? await credentialsPart(deps.credentials, deps.sessions, session, lang, form) : undefined;
  const appDevices = deps.credentials?.appDevices ? await appDevicesPart(deps.credentials.appDevices, session, lang) : undefined;
  const data = pageData(lang, { notice, accesses, fiscalCode: session.fiscalCode, csrfToken: session.csrfToken, h: historyMessagesFor(lang), history, withHistory: deps.history !== undefined, credentials, appDevices });
  await renderPage(ctx, 'account', data, { status, ...(ctx.method === 'GET' ? {} : { languageSwitchPath: '/account' }) });
}
