import type { Language } from '../shared/language.js';
import type { SiteSettings } from '../shared/site-settings.js';
import { footerPagesText } from './help-footer-pages-text.js';
import { lostCodesText } from './help-lost-codes-text.js';
import { inLanguage, type HelpPage, type HelpPageName } from './help-page-text.js';

export { HELP_PAGE_NAMES, type HelpPage, type HelpPageName } from './help-page-text.js';

/** The lost-codes help, or one of the footer's pages naming the operator. */
export function helpPage(name: HelpPageName, language: Language, site: SiteSettings): HelpPage {
  return inLanguage(name === 'lost-codes' ? lostCodesText : footerPagesText[name], language, site.operatorName);
}
