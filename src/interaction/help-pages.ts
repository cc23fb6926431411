import type { Language } from '../shared/language.js';
import type { SiteSettings } from '../shared/site-settings.js';

/** One section of a help page: a heading, then paragraphs, numbered steps or a bullet list (plain text, escaped by the view). */
export interface HelpSection {
  id: string;
  heading: string;
  paragraphs?: string[];
  steps?: string[];
  items?: string[];
  /** Show the help desk (name, telephone, e-mail) from the site settings after the text. */
  helpDesk?: boolean;
}

export interface HelpPage {
  title: string;
  lead: string;
  sections: HelpSection[];
}

export const HELP_PAGE_NAMES = ['lost-codes', 'legal-notes', 'privacy', 'accessibility', 'contacts'] as const;
export type HelpPageName = (typeof HELP_PAGE_NAMES)[number];

/**
 * "Hai perso il PIN o il PUK?", in plain language. The facts: the Ministry of the Interior's
 * https://www.cartaidentita.interno.gov.it/info-utili/codici-di-sicurezza-pin-e-puk/ (two halves,
 * reprint at any Comune, PIN reset with the PUK in the CieID app or "Software CIE"), PUK recovery in
 * the CieID app as https://assistenza.ioapp.it/hc/it/articles/30724124920337-Ho-dimenticato-il-PUK-della-CIE
 * describes it (card number, the contacts given at issuance, 48 hours), and
 * https://comune.bollate.mi.it/it/services/cie-codici-di-sicurezza-pin-e-puk (no contacts: reprint at a
 * Comune; help desk). 3 wrong PINs and 10 wrong PUKs: the card's own counters (docs/virtual-card.md).
 */
function lostCodes(language: Language): HelpPage {
  if (language === 'en') {
    return {
      title: 'Lost your CIE PIN or PUK?',
      lead: 'The PIN and the PUK are the security codes of your Electronic Identity Card. Nobody can read them from the card, not this website and not the municipality: if you lost them, follow these steps.',
      sections: [
        { id: 'halves', heading: 'Where your codes are', paragraphs: ['Each code has 8 digits and comes in two halves:'], items: [
          'the first half of the PIN and of the PUK is on the receipt the municipality (Comune) gave you when you applied for the card;',
          'the second half is in the letter that came with the card.',
        ] },
        { id: 'pin', heading: 'You lost the PIN', paragraphs: [
          'If you have the PUK, you can choose a new PIN yourself: with the CieID app on a smartphone, or with the “CIE Software” on your computer (“Unblock the PIN with the PUK”).',
          'If you lost the PUK too, read on.',
        ] },
        { id: 'puk', heading: 'You lost the PUK', paragraphs: ['If you gave an e-mail address or a mobile number when you applied for the card, recover the PUK with the CieID app on a smartphone that can read the card (NFC):'], steps: [
          'In the app, open the menu and choose “Recupero PUK” (PUK recovery).',
          'Hold the card against the phone.',
          'Type the card number, printed at the top right of the card.',
          'Type the e-mail address or the mobile number you gave when you applied for the card.',
          'After 48 hours you receive a text message or an e-mail: follow it to finish and see your PUK.',
        ] },
        { id: 'reprint', heading: 'No e-mail or mobile registered? Ask for a reprint', paragraphs: [
          'Go to any municipality (Comune), not necessarily your own, with your card and ask for a reprint of the PIN and PUK.',
          'The municipality gives you the first half of the codes straight away; the second half arrives by e-mail from the Ministry of the Interior.',
        ] },
        { id: 'blocked', heading: 'What happens if you get a code wrong', items: [
          '3 wrong PINs in a row block the PIN. The card is not damaged: unblock it with the PUK and choose a new PIN.',
          '10 wrong PUKs in a row block the card for good: it can no longer be used to sign in to online services. It remains valid as an identity document; to sign in online again you need a new card from the municipality.',
          'A correct PIN resets the count of wrong PINs.',
        ] },
        { id: 'help', heading: 'Need help?', paragraphs: ['Nobody will ever ask you for your PIN or PUK by phone or e-mail: never tell them to anyone.'], helpDesk: true },
        { id: 'back', heading: 'Back to the sign-in', paragraphs: ['To go back to the sign-in, use your browser’s Back button.'] },
      ],
    };
  }
  return {
    title: 'Hai perso il PIN o il PUK della CIE?',
    lead: 'Il PIN e il PUK sono i codici di sicurezza della tua Carta di Identità Elettronica. Nessuno può leggerli dalla carta, né questo sito né il Comune: se li hai persi, segui questi passi.',
    sections: [
      { id: 'halves', heading: 'Dove trovi i codici', paragraphs: ['Ogni codice ha 8 cifre ed è diviso in due metà:'], items: [
        'la prima metà del PIN e del PUK è sulla ricevuta che il Comune ti ha dato quando hai chiesto la carta;',
        'la seconda metà è nella lettera che hai ricevuto insieme alla carta.',
      ] },
      { id: 'pin', heading: 'Hai perso il PIN', paragraphs: [
        'Se hai il PUK, puoi scegliere da solo un nuovo PIN: con l’app CieID sullo smartphone oppure con il «Software CIE» sul computer («Sblocca il PIN con il PUK»).',
        'Se hai perso anche il PUK, leggi qui sotto.',
      ] },
      { id: 'puk', heading: 'Hai perso il PUK', paragraphs: ['Se quando hai chiesto la carta hai lasciato un indirizzo e-mail o un numero di cellulare, recupera il PUK con l’app CieID su uno smartphone che legge la carta (NFC):'], steps: [
        'Nell’app apri il menu e scegli «Recupero PUK».',
        'Avvicina la carta al telefono.',
        'Scrivi il numero della carta, stampato in alto a destra sulla carta.',
        'Scrivi l’e-mail o il numero di cellulare che hai dato quando hai chiesto la carta.',
        'Dopo 48 ore ricevi un SMS o un’e-mail: seguili per completare e vedere il tuo PUK.',
      ] },
      { id: 'reprint', heading: 'Non hai lasciato e-mail o cellulare? Chiedi la ristampa', paragraphs: [
        'Vai in un Comune qualsiasi, anche diverso dal tuo, con la carta e chiedi la ristampa del PIN e del PUK.',
        'Il Comune ti dà subito la prima metà dei codici; la seconda metà ti arriva per e-mail dal Ministero dell’Interno.',
      ] },
      { id: 'blocked', heading: 'Cosa succede se sbagli un codice', items: [
        '3 PIN sbagliati di seguito bloccano il PIN. La carta non è rovinata: la sblocchi con il PUK e scegli un nuovo PIN.',
        '10 PUK sbagliati di seguito bloccano la carta per sempre: non puoi più usarla per entrare nei servizi online. Resta valida come documento di identità; per entrare di nuovo online ti serve una nuova carta, da chiedere al Comune.',
        'Un PIN giusto azzera il conteggio dei PIN sbagliati.',
      ] },
      { id: 'help', heading: 'Serve aiuto?', paragraphs: ['Nessuno ti chiederà mai il PIN o il PUK per telefono o per e-mail: non dirli a nessuno.'], helpDesk: true },
      { id: 'back', heading: 'Tornare all’accesso', paragraphs: ['Per tornare all’accesso usa il pulsante «Indietro» del browser.'] },
    ],
  };
}

/**
 * The footer's pages when the operator has not pointed LEGAL_NOTES_URL, PRIVACY_URL,
 * ACCESSIBILITY_URL or CONTACTS_URL at its own: short and true of this software, naming the operator,
 * and saying that the operator's own text replaces them.
 */
function footerPage(name: Exclude<HelpPageName, 'lost-codes'>, language: Language, site: SiteSettings): HelpPage {
  const who = site.operatorName;
  const en = language === 'en';
  const replace = en
    ? `${who} publishes its own text here by setting the corresponding setting (docs/ui.md); until then this page describes the software as it works.`
    : `${who} pubblica qui il proprio testo impostando la relativa variabile (docs/ui.md); fino ad allora questa pagina descrive il software così come funziona.`;
  switch (name) {
    case 'legal-notes':
      return en
        ? { title: 'Legal notes', lead: `This sign-in service is run by ${who}.`, sections: [
            { id: 'software', heading: 'Software', paragraphs: ['The service runs the open-source “Entra con CIE” provider, released under the EUPL-1.2 licence.'] },
            { id: 'marks', heading: 'Marks and graphics', paragraphs: ['The “Entra con CIE” button and the CieID logo come unchanged from the official kit of the Ministry of the Interior (italia/cie-graphics), which owns the marks. The page style is Bootstrap Italia (BSD-3-Clause licence); the font is Titillium Web (SIL Open Font License).'] },
            { id: 'operator', heading: 'This page', paragraphs: [replace] },
          ] }
        : { title: 'Note legali', lead: `Questo servizio di accesso è gestito da ${who}.`, sections: [
            { id: 'software', heading: 'Software', paragraphs: ['Il servizio usa il provider open source «Entra con CIE», rilasciato con licenza EUPL-1.2.'] },
            { id: 'marks', heading: 'Marchi e grafica', paragraphs: ['Il pulsante «Entra con CIE» e il logo CieID provengono senza modifiche dal kit ufficiale del Ministero dell’Interno (italia/cie-graphics), titolare dei marchi. Lo stile delle pagine è Bootstrap Italia (licenza BSD-3-Clause); il carattere è Titillium Web (SIL Open Font License).'] },
            { id: 'operator', heading: 'Questa pagina', paragraphs: [replace] },
          ] };
    case 'privacy':
      return en
        ? { title: 'Privacy notice', lead: `Data controller: ${who}. This is what the sign-in service does with your data.`, sections: [
            { id: 'what', heading: 'What it reads', items: [
              'From the certificate of your card: given name, family name, fiscal code and date of birth.',
              'Your PIN never reaches this service: the card checks it on your computer.',
            ] },
            { id: 'who', heading: 'Who receives it', paragraphs: ['Only the service you are signing in to, and only the data listed on the consent page, after you press “Allow”.'] },
            { id: 'how-long', heading: 'How long it is kept', items: [
              'Your sign-in lasts at most as long as the session; then it is deleted.',
              'If you allow offline access, the service may obtain the data again until you withdraw it on the page “Your access” (/account), or until it expires.',
              'A record of each sign-in (time, outcome, card certificate) is kept for security.',
            ] },
            { id: 'operator', heading: 'This page', paragraphs: [replace] },
          ] }
        : { title: 'Informativa sulla privacy', lead: `Titolare del trattamento: ${who}. Ecco cosa fa il servizio di accesso con i tuoi dati.`, sections: [
            { id: 'what', heading: 'Cosa legge', items: [
              'Dal certificato della tua carta: nome, cognome, codice fiscale e data di nascita.',
              'Il PIN non arriva mai a questo servizio: lo verifica la carta sul tuo computer.',
            ] },
            { id: 'who', heading: 'A chi li invia', paragraphs: ['Solo al servizio in cui stai entrando, e solo i dati elencati nella pagina del consenso, dopo che hai premuto «Autorizza».'] },
            { id: 'how-long', heading: 'Per quanto tempo li conserva', items: [
              'L’accesso dura al massimo quanto la sessione; poi viene cancellato.',
              'Se autorizzi l’accesso offline, il servizio può ottenere di nuovo i dati finché non lo revochi nella pagina «I tuoi accessi» (/account), o finché non scade.',
              'Per sicurezza resta traccia di ogni accesso (ora, esito, certificato della carta).',
            ] },
            { id: 'operator', heading: 'Questa pagina', paragraphs: [replace] },
          ] };
    case 'accessibility':
      return en
        ? { title: 'Accessibility statement', lead: `${who} wants these pages to be usable by everyone, as the AgID guidelines on accessibility require (WCAG 2.1 level AA).`, sections: [
            { id: 'how', heading: 'How the pages are checked', items: [
              'Every page, in Italian and in English and in its error states, is checked automatically against the WCAG 2.1 A and AA rules before each release.',
              'The sign-in can be completed with the keyboard alone.',
              'The pages work on a 320-pixel-wide screen without scrolling sideways.',
            ] },
            { id: 'report', heading: 'Report a problem', paragraphs: ['If something is hard to use, tell the help desk: it will be fixed.'], helpDesk: true },
            { id: 'operator', heading: 'This page', paragraphs: [replace] },
          ] }
        : { title: 'Dichiarazione di accessibilità', lead: `${who} vuole che queste pagine siano usabili da tutti, come chiedono le linee guida AgID sull’accessibilità (WCAG 2.1 livello AA).`, sections: [
            { id: 'how', heading: 'Come sono verificate le pagine', items: [
              'Ogni pagina, in italiano e in inglese e nei suoi stati di errore, è verificata automaticamente con le regole WCAG 2.1 A e AA prima di ogni rilascio.',
              'L’accesso si completa anche con la sola tastiera.',
              'Le pagine funzionano su uno schermo largo 320 pixel senza scorrere di lato.',
            ] },
            { id: 'report', heading: 'Segnala un problema', paragraphs: ['Se qualcosa è difficile da usare, scrivi all’assistenza: sarà corretto.'], helpDesk: true },
            { id: 'operator', heading: 'Questa pagina', paragraphs: [replace] },
          ] };
    case 'contacts':
      return en
        ? { title: 'Contacts', lead: `This sign-in service is run by ${who}.`, sections: [
            { id: 'help', heading: 'Help desk', paragraphs: ['For problems with the card, its PIN or its PUK:'], helpDesk: true },
          ] }
        : { title: 'Contatti', lead: `Questo servizio di accesso è gestito da ${who}.`, sections: [
            { id: 'help', heading: 'Assistenza', paragraphs: ['Per problemi con la carta, il PIN o il PUK:'], helpDesk: true },
          ] };
  }
}

export function helpPage(name: HelpPageName, language: Language, site: SiteSettings): HelpPage {
  return name === 'lost-codes' ? lostCodes(language) : footerPage(name, language, site);
}
