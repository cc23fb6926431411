import type { HelpPageText } from './help-page-text.js';

/**
 * "Hai perso il PIN o il PUK?", in plain language. The facts: the Ministry of the Interior's
 * https://www.cartaidentita.interno.gov.it/info-utili/codici-di-sicurezza-pin-e-puk/ (two halves,
 * reprint at any Comune, PIN reset with the PUK in the CieID app or "Software CIE"), PUK recovery in
 * the CieID app as https://assistenza.ioapp.it/hc/it/articles/30724124920337-Ho-dimenticato-il-PUK-della-CIE
 * describes it (card number, the contacts given at issuance, 48 hours), and
 * https://comune.bollate.mi.it/it/services/cie-codici-di-sicurezza-pin-e-puk (no contacts: reprint at a
 * Comune; help desk). 3 wrong PINs and 10 wrong PUKs: the card's own counters (docs/virtual-card.md).
 */
export const lostCodesText: HelpPageText = {
  title: { it: 'Hai perso il PIN o il PUK della CIE?', en: 'Lost your CIE PIN or PUK?' },
  lead: { it: 'Il PIN e il PUK sono i codici di sicurezza della tua Carta di Identità Elettronica. Nessuno può leggerli dalla carta, né questo sito né il Comune: se li hai persi, segui questi passi.', en: 'The PIN and the PUK are the security codes of your Electronic Identity Card. Nobody can read them from the card, not this website and not the municipality: if you lost them, follow these steps.' },
  sections: [
    { id: 'halves', heading: { it: 'Dove trovi i codici', en: 'Where your codes are' },
      paragraphs: [{ it: 'Ogni codice ha 8 cifre ed è diviso in due metà:', en: 'Each code has 8 digits and comes in two halves:' }],
      items: [
        { it: 'la prima metà del PIN e del PUK è sulla ricevuta che il Comune ti ha dato quando hai chiesto la carta;', en: 'the first half of the PIN and of the PUK is on the receipt the municipality (Comune) gave you when you applied for the card;' },
        { it: 'la seconda metà è nella lettera che hai ricevuto insieme alla carta.', en: 'the second half is in the letter that came with the card.' },
      ],
    },
    { id: 'pin', heading: { it: 'Hai perso il PIN', en: 'You lost the PIN' },
      paragraphs: [
        { it: 'Se hai il PUK, puoi scegliere da solo un nuovo PIN: con l’app CieID sullo smartphone oppure con il «Software CIE» sul computer («Sblocca il PIN con il PUK»).', en: 'If you have the PUK, you can choose a new PIN yourself: with the CieID app on a smartphone, or with the “CIE Software” on your computer (“Unblock the PIN with the PUK”).' },
        { it: 'Se hai perso anche il PUK, leggi qui sotto.', en: 'If you lost the PUK too, read on.' },
      ],
    },
    { id: 'puk', heading: { it: 'Hai perso il PUK', en: 'You lost the PUK' },
      paragraphs: [{ it: 'Se quando hai chiesto la carta hai lasciato un indirizzo e-mail o un numero di cellulare, recupera il PUK con l’app CieID su uno smartphone che legge la carta (NFC):', en: 'If you gave an e-mail address or a mobile number when you applied for the card, recover the PUK with the CieID app on a smartphone that can read the card (NFC):' }],
      steps: [
        { it: 'Nell’app apri il menu e scegli «Recupero PUK».', en: 'In the app, open the menu and choose “Recupero PUK” (PUK recovery).' },
        { it: 'Avvicina la carta al telefono.', en: 'Hold the card against the phone.' },
        { it: 'Scrivi il numero della carta, stampato in alto a destra sulla carta.', en: 'Type the card number, printed at the top right of the card.' },
        { it: 'Scrivi l’e-mail o il numero di cellulare che hai dato quando hai chiesto la carta.', en: 'Type the e-mail address or the mobile number you gave when you applied for the card.' },
        { it: 'Dopo 48 ore ricevi un SMS o un’e-mail: seguili per completare e vedere il tuo PUK.', en: 'After 48 hours you receive a text message or an e-mail: follow it to finish and see your PUK.' },
      ],
    },
    { id: 'reprint', heading: { it: 'Non hai lasciato e-mail o cellulare? Chiedi la ristampa', en: 'No e-mail or mobile registered? Ask for a reprint' },
      paragraphs: [
        { it: 'Vai in un Comune qualsiasi, anche diverso dal tuo, con la carta e chiedi la ristampa del PIN e del PUK.', en: 'Go to any municipality (Comune), not necessarily your own, with your card and ask for a reprint of the PIN and PUK.' },
        { it: 'Il Comune ti dà subito la prima metà dei codici; la seconda metà ti arriva per e-mail dal Ministero dell’Interno.', en: 'The municipality gives you the first half of the codes straight away; the second half arrives by e-mail from the Ministry of the Interior.' },
      ],
    },
    { id: 'blocked', heading: { it: 'Cosa succede se sbagli un codice', en: 'What happens if you get a code wrong' },
      items: [
        { it: '3 PIN sbagliati di seguito bloccano il PIN. La carta non è rovinata: la sblocchi con il PUK e scegli un nuovo PIN.', en: '3 wrong PINs in a row block the PIN. The card is not damaged: unblock it with the PUK and choose a new PIN.' },
        { it: '10 PUK sbagliati di seguito bloccano la carta per sempre: non puoi più usarla per entrare nei servizi online. Resta valida come documento di identità; per entrare di nuovo online ti serve una nuova carta, da chiedere al Comune.', en: '10 wrong PUKs in a row block the card for good: it can no longer be used to sign in to online services. It remains valid as an identity document; to sign in online again you need a new card from the municipality.' },
        { it: 'Un PIN giusto azzera il conteggio dei PIN sbagliati.', en: 'A correct PIN resets the count of wrong PINs.' },
      ],
    },
    { id: 'help', heading: { it: 'Serve aiuto?', en: 'Need help?' },
      paragraphs: [{ it: 'Nessuno ti chiederà mai il PIN o il PUK per telefono o per e-mail: non dirli a nessuno.', en: 'Nobody will ever ask you for your PIN or PUK by phone or e-mail: never tell them to anyone.' }], helpDesk: true },
    { id: 'back', heading: { it: 'Tornare all’accesso', en: 'Back to the sign-in' },
      paragraphs: [{ it: 'Per tornare all’accesso usa il pulsante «Indietro» del browser.', en: 'To go back to the sign-in, use your browser’s Back button.' }],
    },
  ],
};
