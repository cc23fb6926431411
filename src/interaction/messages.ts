import type { Language } from '../shared/language.js';
import { pageFrameMessages } from '../shared/page-frame-messages.js';
import { cardChoiceMessages } from '../sign-in/card/card-choice-messages.js';

/** The login and consent pages' own words; the frame's (header, footer) are the shared page frame's, the errors' the error table's. */
const it = {
  loginTitle: 'Accedi con la Carta di Identità Elettronica',
  loginLead: (rp: string) => `«${rp}» chiede di verificare la tua identità con livello di sicurezza alto (CIE livello 3).`,
  cancel: 'Annulla e torna al servizio',
  consentTitle: 'Autorizzi l’invio dei tuoi dati?',
  consentLead: (rp: string) => `«${rp}» riceverà questi dati:`,
  consentNone: 'Nessun dato personale oltre a un identificativo anonimo per questo servizio.',
  consentOffline: 'Consenti a questo servizio di accedere ai dati anche quando non sei collegato (accesso offline).',
  consentAllow: 'Autorizza',
  consentDeny: 'Nega',
  consentData: 'Dati che saranno inviati',
  consentOfflineHeading: 'Accesso offline',
};

type InteractionWords = typeof it;

const en: InteractionWords = {
  loginTitle: 'Sign in with your Electronic Identity Card',
  loginLead: (rp) => `“${rp}” asks to verify your identity at high assurance (CIE level 3).`,
  cancel: 'Cancel and return to the service',
  consentTitle: 'Do you allow your data to be sent?',
  consentLead: (rp) => `“${rp}” will receive this data:`,
  consentNone: 'No personal data besides an anonymous identifier for this service.',
  consentOffline: 'Allow this service to access the data while you are not signed in (offline access).',
  consentAllow: 'Allow',
  consentDeny: 'Deny',
  consentData: 'Data that will be sent',
  consentOfflineHeading: 'Offline access',
};

const withFrame = {
  it: { ...pageFrameMessages('it'), ...cardChoiceMessages('it'), ...it },
  en: { ...pageFrameMessages('en'), ...cardChoiceMessages('en'), ...en },
};

/** The interaction's words with the page frame's (views/partials) and the card entry's (views/sign-in/card-choice.ejs). */
export function messagesFor(language: Language) {
  return withFrame[language];
}

export type Messages = ReturnType<typeof messagesFor>;
