import type { Context } from 'koa';
import { renderPage } from '../../shared/html.js';
import { requestLanguage } from '../../shared/request-language.js';
import type { AccountDeps } from '../account-deps.js';
import { displayDate } from '../display-date.js';
import { accountMessagesFor } from '../messages.js';

/**
 * GET /dev/outbox: the demo's mail, newest first (the one-time codes the citizen would read in their
 * mailbox). The route exists only when the composition says so (deps.outboxPage: the local outbox is
 * the transport and the provider runs on a loopback origin); never with an SMTP server.
 */
export async function devOutbox(ctx: Context, deps: AccountDeps): Promise<void> {
  const outbox = deps.outboxPage ? deps.credentials?.outbox : undefined;
  if (!outbox) return;
  const lang = requestLanguage(ctx);
  const m = accountMessagesFor(lang);
  const mails = outbox.list().map((mail) => ({ to: mail.to, subject: mail.subject, text: mail.text, sentAt: displayDate(mail.sentAt.getTime() / 1000, lang) }));
  const title = lang === 'en' ? 'Demo outbox' : 'Posta in uscita della demo';
  await renderPage(ctx, 'account/outbox', { lang, m, title, assets: '/assets', mails, empty: lang === 'en' ? 'No mail sent yet.' : 'Nessuna e-mail inviata.', lead: lang === 'en' ? 'This page exists only in the demo (no SMTP server configured): it shows the mails the provider would send.' : 'Questa pagina esiste solo nella demo (nessun server SMTP configurato): mostra le e-mail che il provider invierebbe.' });
}
