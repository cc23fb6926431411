import type { Language } from '../../shared/language.js';

const text = {
  it: {
    title: 'Servizio momentaneamente non disponibile',
    message: 'Il servizio di accesso con CIE è temporaneamente non disponibile. Riprova tra qualche istante: se l’accesso era in corso, ricomincia dal servizio che lo ha chiesto.',
  },
  en: {
    title: 'Service temporarily unavailable',
    message: 'The CIE sign-in service is temporarily unavailable. Please try again in a moment; if a sign-in was in progress, start again from the service that asked for it.',
  },
} as const;

/** What the browser sees while the state storage is down (HTTP 503). */
export function storageOutageText(language: Language): { title: string; message: string } {
  return text[language];
}
