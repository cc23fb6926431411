import type { Language } from '../../shared/language.js';
import { pageFrameMessages } from '../../shared/page-frame-messages.js';

const it = {
  passwordTitle: 'Entra con le credenziali CieID',
  passwordLead: 'Inserisci il nome utente (codice fiscale o indirizzo e-mail) e la password delle tue credenziali CieID.',
  passwordLeadLevel2: 'Dopo la password ti invieremo un codice monouso all’indirizzo e-mail confermato.',
  passwordLeadApp: 'Dopo la password confermerai l’accesso sull’app CieID del tuo dispositivo certificato.',
  username: 'Nome utente (codice fiscale o e-mail)',
  password: 'Password',
  submit: 'Prosegui',
  codeTitle: 'Inserisci il codice ricevuto per e-mail',
  codeLead: (to: string) => `Abbiamo inviato un codice di 6 cifre a ${to}. È valido per 10 minuti.`,
  code: 'Codice',
  confirm: 'Conferma',
  noCredentials: 'Non hai ancora le credenziali? Attivale dalla pagina «I tuoi accessi» dopo l’accesso con la CIE.',
  backToService: 'Annulla e torna al servizio',
};

export type PasswordMessages = typeof it & ReturnType<typeof pageFrameMessages>;

const en: typeof it = {
  passwordTitle: 'Sign in with your CieID credentials',
  passwordLead: 'Enter the username (fiscal code or e-mail address) and the password of your CieID credentials.',
  passwordLeadLevel2: 'After the password we will send a one-time code to your confirmed e-mail address.',
  passwordLeadApp: 'After the password you will confirm the sign-in in the CieID app on your certified device.',
  username: 'Username (fiscal code or e-mail)',
  password: 'Password',
  submit: 'Continue',
  codeTitle: 'Enter the code you received by e-mail',
  codeLead: (to: string) => `We sent a 6-digit code to ${to}. It is valid for 10 minutes.`,
  code: 'Code',
  confirm: 'Confirm',
  noCredentials: 'No credentials yet? Activate them on the "I tuoi accessi" page after signing in with your CIE.',
  backToService: 'Cancel and return to the service',
};

export function passwordMessages(language: Language): PasswordMessages {
  return { ...pageFrameMessages(language), ...(language === 'en' ? en : it) };
}
