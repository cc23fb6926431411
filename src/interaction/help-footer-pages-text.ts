import type { Bilingual } from '../shared/bilingual.js';
import type { HelpPageName, HelpPageText, HelpSectionText } from './help-page-text.js';

/** The last section of a footer page: the operator replaces the page with its own text. */
const operatorSection: HelpSectionText = {
  id: 'operator',
  heading: { it: 'Questa pagina', en: 'This page' },
  paragraphs: [{ it: '{operator} pubblica qui il proprio testo impostando la relativa variabile (docs/ui.md); fino ad allora questa pagina descrive il software così come funziona.', en: '{operator} publishes its own text here by setting the corresponding setting (docs/ui.md); until then this page describes the software as it works.' }],
};

/**
 * The privacy page's extra recipient when BREACHED_PASSWORDS_API is set (credentials/breached-passwords.ts):
 * only when a password is chosen, and only 5 hex digits of its SHA-1 (`{rangeApi}`: the API's host).
 */
export const rangeApiRecipient: Bilingual = {
  it: 'Quando scegli o cambi la password delle credenziali CieID, il servizio invia a {rangeApi} solo i primi 5 caratteri dell’impronta SHA-1 della password (mai la password né i tuoi dati), per sapere se compare tra le password rubate in violazioni di dati.',
  en: 'When you choose or change the password of your CieID credentials, the service sends {rangeApi} only the first 5 characters of the password’s SHA-1 hash (never the password or your data), to learn whether it appears among passwords stolen in data breaches.',
};

/**
 * The footer's pages when the operator has not pointed LEGAL_NOTES_URL, PRIVACY_URL,
 * ACCESSIBILITY_URL or CONTACTS_URL at its own: short and true of this software, naming the operator
 * (`{operator}`), and saying that the operator's own text replaces them.
 */
export const footerPagesText: Record<Exclude<HelpPageName, 'lost-codes'>, HelpPageText> = {
  'legal-notes': {
    title: { it: 'Note legali', en: 'Legal notes' },
    lead: { it: 'Questo servizio di accesso è gestito da {operator}.', en: 'This sign-in service is run by {operator}.' },
    sections: [
      { id: 'software', heading: { it: 'Software', en: 'Software' },
        paragraphs: [{ it: 'Il servizio usa il provider open source «Entra con CIE», rilasciato con licenza EUPL-1.2.', en: 'The service runs the open-source “Entra con CIE” provider, released under the EUPL-1.2 licence.' }],
      },
      { id: 'marks', heading: { it: 'Marchi e grafica', en: 'Marks and graphics' },
        paragraphs: [{ it: 'Il pulsante «Entra con CIE» e il logo CieID provengono senza modifiche dal kit ufficiale del Ministero dell’Interno (italia/cie-graphics), titolare dei marchi. Lo stile delle pagine è Bootstrap Italia (licenza BSD-3-Clause); il carattere è Titillium Web (SIL Open Font License).', en: 'The “Entra con CIE” button and the CieID logo come unchanged from the official kit of the Ministry of the Interior (italia/cie-graphics), which owns the marks. The page style is Bootstrap Italia (BSD-3-Clause licence); the font is Titillium Web (SIL Open Font License).' }],
      },
      operatorSection,
    ],
  },
  privacy: {
    title: { it: 'Informativa sulla privacy', en: 'Privacy notice' },
    lead: { it: 'Titolare del trattamento: {operator}. Ecco cosa fa il servizio di accesso con i tuoi dati.', en: 'Data controller: {operator}. This is what the sign-in service does with your data.' },
    sections: [
      { id: 'what', heading: { it: 'Cosa legge', en: 'What it reads' },
        items: [
          { it: 'Dal certificato della tua carta: nome, cognome, codice fiscale e data di nascita.', en: 'From the certificate of your card: given name, family name, fiscal code and date of birth.' },
          { it: 'Il PIN non arriva mai a questo servizio: lo verifica la carta sul tuo computer.', en: 'Your PIN never reaches this service: the card checks it on your computer.' },
        ],
      },
      { id: 'who', heading: { it: 'A chi li invia', en: 'Who receives it' },
        paragraphs: [{ it: 'Solo al servizio in cui stai entrando, e solo i dati elencati nella pagina del consenso, dopo che hai premuto «Autorizza».', en: 'Only the service you are signing in to, and only the data listed on the consent page, after you press “Allow”.' }],
      },
      { id: 'how-long', heading: { it: 'Per quanto tempo li conserva', en: 'How long it is kept' },
        items: [
          { it: 'L’accesso dura al massimo quanto la sessione; poi viene cancellato.', en: 'Your sign-in lasts at most as long as the session; then it is deleted.' },
          { it: 'Se autorizzi l’accesso offline, il servizio può ottenere di nuovo i dati finché non lo revochi nella pagina «I tuoi accessi» (/account), o finché non scade.', en: 'If you allow offline access, the service may obtain the data again until you withdraw it on the page “Your access” (/account), or until it expires.' },
          { it: 'Per sicurezza resta traccia di ogni accesso (ora, esito, certificato della carta).', en: 'A record of each sign-in (time, outcome, card certificate) is kept for security.' },
        ],
      },
      operatorSection,
    ],
  },
  accessibility: {
    title: { it: 'Dichiarazione di accessibilità', en: 'Accessibility statement' },
    lead: { it: '{operator} vuole che queste pagine siano usabili da tutti, come chiedono le linee guida AgID sull’accessibilità (WCAG 2.1 livello AA).', en: '{operator} wants these pages to be usable by everyone, as the AgID guidelines on accessibility require (WCAG 2.1 level AA).' },
    sections: [
      { id: 'how', heading: { it: 'Come sono verificate le pagine', en: 'How the pages are checked' },
        items: [
          { it: 'Ogni pagina, in italiano e in inglese e nei suoi stati di errore, è verificata automaticamente con le regole WCAG 2.1 A e AA prima di ogni rilascio.', en: 'Every page, in Italian and in English and in its error states, is checked automatically against the WCAG 2.1 A and AA rules before each release.' },
          { it: 'L’accesso si completa anche con la sola tastiera.', en: 'The sign-in can be completed with the keyboard alone.' },
          { it: 'Le pagine funzionano su uno schermo largo 320 pixel senza scorrere di lato.', en: 'The pages work on a 320-pixel-wide screen without scrolling sideways.' },
        ],
      },
      { id: 'report', heading: { it: 'Segnala un problema', en: 'Report a problem' },
        paragraphs: [{ it: 'Se qualcosa è difficile da usare, scrivi all’assistenza: sarà corretto.', en: 'If something is hard to use, tell the help desk: it will be fixed.' }], helpDesk: true },
      operatorSection,
    ],
  },
  contacts: {
    title: { it: 'Contatti', en: 'Contacts' },
    lead: { it: 'Questo servizio di accesso è gestito da {operator}.', en: 'This sign-in service is run by {operator}.' },
    sections: [
      { id: 'help', heading: { it: 'Assistenza', en: 'Help desk' },
        paragraphs: [{ it: 'Per problemi con la carta, il PIN o il PUK:', en: 'For problems with the card, its PIN or its PUK:' }], helpDesk: true },
    ],
  },
};
