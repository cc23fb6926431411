import type { Middleware } from 'koa';

/** Who runs the pages and where their footer links go: OPERATOR_NAME and the rest (config/options.ts). */
export interface SiteSettings {
  operatorName: string;
  /** '' = the name is not a link. */
  operatorUrl: string;
  links: { legalNotes: string; privacy: string; accessibility: string; contacts: string };
  helpDesk: { name: string; phone: string; email: string };
}

/** The settings' defaults, for pages rendered where no settings were given (a test's bare app). */
export const DEFAULT_SITE: SiteSettings = {
  operatorName: 'Ente gestore di esempio',
  operatorUrl: '',
  links: { legalNotes: '/note-legali', privacy: '/privacy', accessibility: '/accessibilita', contacts: '/contatti' },
  helpDesk: { name: 'Assistenza CIE del Ministero dell\'Interno', phone: '06 4298 5699', email: 'cie.cittadini@interno.it' },
};

/** Makes the settings reach every page of this app: renderPage reads them from ctx.state. */
export function siteSettings(site: SiteSettings): Middleware {
  // Not async: a layer every request passes through adds no promise of its own.
  return (ctx, next) => {
    ctx.state.site = site;
    return next();
  };
}
