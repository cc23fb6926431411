import Router from '@koa/router';
import type { Context } from 'koa';
import { renderPage } from '../shared/html.js';
import { pageFrameMessages } from '../shared/page-frame-messages.js';
import { requestLanguage } from '../shared/request-language.js';
import { DEFAULT_SITE, type SiteSettings } from '../shared/site-settings.js';
import { helpPage, type HelpPageName, type PrivacyRecipients } from './help-pages.js';

/** Where each help page lives: the lost-codes help, and the footer's pages the operator may replace with its own (site settings). */
export const HELP_PATHS: Record<HelpPageName, string> = {
  'lost-codes': '/help/lost-codes',
  'legal-notes': '/note-legali',
  privacy: '/privacy',
  accessibility: '/accessibilita',
  contacts: '/contatti',
};

/**
 * The citizen's help pages, Italian or English like every page (`?lang=`, cookie, Accept-Language); the
 * privacy page names the breached-password range API when one is set.
 */
export function helpRoutes(recipients: PrivacyRecipients = {}): Router {
  const router = new Router();
  for (const [name, path] of Object.entries(HELP_PATHS) as [HelpPageName, string][]) {
    router.get(path, async (ctx: Context) => {
      const lang = requestLanguage(ctx);
      const site = (ctx.state as { site?: SiteSettings }).site ?? DEFAULT_SITE;
      const page = helpPage(name, lang, site, recipients);
      await renderPage(ctx, 'help', { lang, m: pageFrameMessages(lang), title: page.title, assets: '/assets', page, pageName: name });
    });
  }
  return router;
}
