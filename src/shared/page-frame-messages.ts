import type { Language } from './language.js';

/**
 * The words of the frame every provider page is drawn in (views/partials/head.ejs and foot.ejs):
 * header, skip links, footer. Here, not in a room, because every room's pages (sign-in, account,
 * the error page) wear the same frame.
 */
const it = {
  siteTitle: 'Entra con CIE',
  siteTagline: 'Accesso ai servizi online con la Carta di Identità Elettronica',
  languageNav: 'Lingua',
  skipToContent: 'Vai al contenuto principale',
  skipToFooter: 'Vai al piè di pagina',
  footer: 'Servizio di identificazione con Carta di Identità Elettronica',
  helpDesk: 'Assistenza',
  phone: 'Telefono',
  email: 'E-mail',
  lostCodesLink: 'Hai dimenticato il PIN o il PUK?',
  usefulLinks: 'Link utili',
  legalNotes: 'Note legali',
  privacy: 'Privacy',
  accessibility: 'Dichiarazione di accessibilità',
  contacts: 'Contatti',
};

export type PageFrameMessages = typeof it;

const en: PageFrameMessages = {
  siteTitle: 'Sign in with CIE',
  siteTagline: 'Sign in to online services with the Electronic Identity Card',
  languageNav: 'Language',
  skipToContent: 'Skip to main content',
  skipToFooter: 'Skip to footer',
  footer: 'Identification service with the Italian Electronic Identity Card',
  helpDesk: 'Help desk',
  phone: 'Telephone',
  email: 'E-mail',
  lostCodesLink: 'Forgot your PIN or PUK?',
  usefulLinks: 'Useful links',
  legalNotes: 'Legal notes',
  privacy: 'Privacy',
  accessibility: 'Accessibility statement',
  contacts: 'Contacts',
};

export function pageFrameMessages(language: Language): PageFrameMessages {
  return language === 'en' ? en : it;
}
