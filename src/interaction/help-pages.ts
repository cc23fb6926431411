import type { Language } from '../shared/language.js';
import type { SiteSettings } from '../shared/site-settings.js';
import { footerPagesText, rangeApiRecipient } from './help-footer-pages-text.js';
import { lostCodesText } from './help-lost-codes-text.js';
import { inLanguage, type HelpPage, type HelpPageName } from './help-page-text.js';

export { HELP_PAGE_NAMES, type HelpPage, type HelpPageName } from './help-page-text.js';

/** What the privacy page names besides the RP: the breached-password range API when it is set (its base URL). */
export interface PrivacyRecipients {
  breachedPasswordsApi?: string;
}

/** The lost-codes help, or one of the footer's pages naming the operator. */
export function helpPage(name: HelpPageName, language: Language, site: SiteSettings, recipients: PrivacyRecipients = {}): HelpPage {
  const page = inLanguage(name === 'lost-codes' ? lostCodesText : footerPagesText[name], language, site.operatorName);
  if (name !== 'privacy' || !recipients.breachedPasswordsApi) return page;
  const rangeApi = URL.canParse(recipients.breachedPasswordsApi) ? new URL(recipients.breachedPasswordsApi).host : recipients.breachedPasswordsApi;
  const said = rangeApiRecipient[language].replaceAll('{rangeApi}', () => rangeApi);
  return { ...page, sections: page.sections.map((section) => (section.id === 'who' ? { ...section, paragraphs: [...(section.paragraphs ?? []), said] } : section)) };
}
