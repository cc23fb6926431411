import type { Language } from '../shared/language.js';

const it = {
  siteTitle: 'Entra con CIE',
  switchLanguage: 'English',
  switchLanguageCode: 'en',
  loginTitle: 'Accedi con la Carta di Identità Elettronica',
  loginLead: (rp: string) => `«${rp}» chiede di verificare la tua identità con livello di sicurezza alto (CIE livello 3).`,
  loginHow: 'Tieni a portata di mano la CIE e il lettore di smart card. Il PIN ti sarà chiesto dal programma CIE sul tuo computer, mai da questa pagina.',
  cancel: 'Annulla e torna al servizio',
  consentTitle: 'Autorizzi l’invio dei tuoi dati?',
  consentLead: (rp: string) => `«${rp}» riceverà questi dati:`,
  consentNone: 'Nessun dato personale oltre a un identificativo anonimo per questo servizio.',
  consentOffline: 'Consenti a questo servizio di accedere ai dati anche quando non sei collegato (accesso offline).',
  consentAllow: 'Autorizza',
  consentDeny: 'Nega',
  errorTitle: 'Non è stato possibile completare l’accesso',
  retry: 'Riprova',
  backToService: 'Torna al servizio',
  genericError: 'Si è verificato un errore. Riprova più tardi.',
  sessionExpired: 'La sessione di accesso è scaduta o non è valida. Torna al servizio e riprova.',
  challengeUnknown: 'La richiesta di accesso è scaduta o è già stata usata. Torna al servizio e riprova.',
  cancelledAtBridge: 'Hai annullato l’accesso con la CIE.',
  tooManyTitle: 'Troppi tentativi',
  tooManyFromNetwork: 'Dalla tua rete sono arrivate troppe richieste di accesso con la CIE. Attendi un minuto e riprova.',
  tooManyChallenges: 'Hai avviato l’accesso con la CIE troppe volte in questa sessione. Per sicurezza ricomincia l’accesso dal sito del servizio.',
  tooManyFailures: 'Troppi tentativi di accesso con la CIE non sono riusciti. Per sicurezza ricomincia l’accesso dal sito del servizio.',
  attemptsUsedUp: 'Hai esaurito i tentativi per questo accesso: ricomincia dal sito del servizio.',
  footer: 'Servizio di identificazione con Carta di Identità Elettronica',
};

type Messages = typeof it;

const en: Messages = {
  siteTitle: 'Sign in with CIE',
  switchLanguage: 'Italiano',
  switchLanguageCode: 'it',
  loginTitle: 'Sign in with your Electronic Identity Card',
  loginLead: (rp) => `“${rp}” asks to verify your identity at high assurance (CIE level 3).`,
  loginHow: 'Have your CIE and smart-card reader at hand. The PIN is asked by the CIE program on your computer, never by this page.',
  cancel: 'Cancel and return to the service',
  consentTitle: 'Do you allow your data to be sent?',
  consentLead: (rp) => `“${rp}” will receive this data:`,
  consentNone: 'No personal data besides an anonymous identifier for this service.',
  consentOffline: 'Allow this service to access the data while you are not signed in (offline access).',
  consentAllow: 'Allow',
  consentDeny: 'Deny',
  errorTitle: 'The sign-in could not be completed',
  retry: 'Try again',
  backToService: 'Return to the service',
  genericError: 'Something went wrong. Please try again later.',
  sessionExpired: 'The sign-in session has expired or is not valid. Return to the service and try again.',
  challengeUnknown: 'This sign-in request has expired or was already used. Return to the service and try again.',
  cancelledAtBridge: 'You cancelled the sign-in with your CIE.',
  tooManyTitle: 'Too many attempts',
  tooManyFromNetwork: 'Too many CIE sign-in requests have come from your network. Wait a minute and try again.',
  tooManyChallenges: 'You started the CIE sign-in too many times in this session. For your safety, start the sign-in again from the service’s website.',
  tooManyFailures: 'Too many CIE sign-in attempts have failed. For your safety, start the sign-in again from the service’s website.',
  attemptsUsedUp: 'You have used up the attempts for this sign-in: start again from the service’s website.',
  footer: 'Identification service with the Italian Electronic Identity Card',
};

export function messagesFor(language: Language): Messages {
  return language === 'en' ? en : it;
}

export type { Messages };
