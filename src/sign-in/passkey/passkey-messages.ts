import type { Language } from '../../shared/language.js';
import { pageFrameMessages } from '../../shared/page-frame-messages.js';

const it = {
  passkeyTitle: 'Entra con una passkey',
  passkeyLead: 'Usa la passkey che hai registrato per questo sito: il dispositivo ti chiederà il PIN, l’impronta o il volto.',
  passkeyButton: 'Usa la passkey',
  noScript: 'Per usare una passkey serve un browser con JavaScript attivo.',
  noPasskey: 'Non hai ancora una passkey? Registrala dalla pagina «I tuoi accessi» dopo l’accesso con la CIE.',
  backToService: 'Annulla e torna al servizio',
};

const en: typeof it = {
  passkeyTitle: 'Sign in with a passkey',
  passkeyLead: 'Use the passkey you registered for this site: your device will ask for its PIN, fingerprint or face.',
  passkeyButton: 'Use the passkey',
  noScript: 'A passkey needs a browser with JavaScript enabled.',
  noPasskey: 'No passkey yet? Register one on the "I tuoi accessi" page after signing in with your CIE.',
  backToService: 'Cancel and return to the service',
};

export function passkeyMessages(language: Language) {
  return { ...pageFrameMessages(language), ...(language === 'en' ? en : it) };
}
