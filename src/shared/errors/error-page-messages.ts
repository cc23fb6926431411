import type { Language } from '../language.js';

/** The error page's own words (views/error.ejs), beside the code's message from the error table. */
const it = {
  errorTitle: 'Non è stato possibile completare l’accesso',
  accountErrorTitle: 'Non è stato possibile completare l’operazione',
  retry: 'Riprova',
  backToService: 'Torna al servizio',
  lostCodesHint: 'Cosa fare se hai perso il PIN o il PUK della CIE o se li hai bloccati.',
  errorCode: 'Codice dell’errore',
  technicalDetail: 'Dettaglio tecnico, per il servizio',
  attemptsUsedUp: 'Hai esaurito i tentativi per questo accesso: ricomincia dal sito del servizio.',
};

export type ErrorPageMessages = typeof it;

const en: ErrorPageMessages = {
  errorTitle: 'The sign-in could not be completed',
  accountErrorTitle: 'The operation could not be completed',
  retry: 'Try again',
  backToService: 'Return to the service',
  lostCodesHint: 'What to do if you lost your CIE PIN or PUK, or blocked them.',
  errorCode: 'Error code',
  technicalDetail: 'Technical detail, for the service',
  attemptsUsedUp: 'You have used up the attempts for this sign-in: start again from the service’s website.',
};

export function errorPageMessages(language: Language): ErrorPageMessages {
  return language === 'en' ? en : it;
}
