import type { Language } from '../shared/language.js';

const it = {
  title: 'Software CIE',
  switchLanguage: 'English',
  switchLanguageCode: 'en',
  pinTitle: 'Identificati con la tua CIE',
  asks: 'Il sito',
  asksAfter: 'chiede di identificarti con la tua Carta di Identità Elettronica.',
  checkOrigin: 'Continua solo se sei tu ad aver chiesto di accedere a questo sito.',
  placeCard: 'Appoggia la CIE sul lettore e inserisci il PIN.',
  pinLabel: 'PIN (8 cifre)',
  pinHint: 'Il PIN è composto dalle prime 4 cifre consegnate in Comune e dalle ultime 4 ricevute con la carta.',
  submit: 'Conferma',
  cancel: 'Annulla',
  wrongPin: (left: number) => (left === 1 ? 'PIN errato. Ti resta 1 tentativo: un altro errore bloccherà il PIN.' : `PIN errato. Ti restano ${left} tentativi.`),
  wrongPinUnknown: 'PIN errato.',
  invalidPinFormat: 'Il PIN deve essere composto da 8 cifre.',
  pinBlocked: 'Il PIN è bloccato dopo 3 tentativi errati. Sbloccalo con il PUK: esegui «cie-bridge pin unblock» (ti serviranno il PUK e un nuovo PIN).',
  pukBlocked: 'L’identità digitale di questa CIE è bloccata in modo definitivo (PUK errato 10 volte). La carta deve essere sostituita: rivolgiti al tuo Comune.',
  noReader: 'Nessun lettore di smart card trovato. Collega il lettore e riprova.',
  noCard: 'Nessuna carta sul lettore. Appoggia la CIE sul lettore e riprova.',
  cardRemoved: 'La carta è stata allontanata dal lettore durante l’operazione. Riappoggiala e riprova.',
  cardBusy: 'La carta è in uso da un altro programma. Chiudilo e riprova.',
  timeout: 'La carta non risponde. Riposizionala sul lettore e riprova.',
  pcscUnavailable: 'Il servizio smart card del sistema (PC/SC) non è disponibile. Avvia pcscd e riprova.',
  unsupportedCard: 'Questa carta non è una CIE 3.0 riconosciuta.',
  cardError: 'La carta ha risposto in modo inatteso. Riprova; se il problema persiste, la carta potrebbe essere danneggiata.',
  expired: 'La richiesta è scaduta. Torna al sito e ricomincia l’accesso.',
  badRequest: 'Richiesta non valida.',
  tooManyOpen: 'Ci sono troppe richieste di accesso aperte su questo computer. Completa quella che hai già aperto, oppure attendi qualche minuto e ricomincia dal sito.',
  originNotAllowed: (origin: string) => `Il sito ${origin} non è tra quelli autorizzati a usare questo programma.`,
  forwarding: 'Identificazione riuscita. Ritorno al sito…',
  continue: 'Continua',
  retry: 'Riprova',
  footer: 'Il PIN resta sul tuo computer: lo verifica la carta, non viene mai inviato al sito.',
};

type BridgeMessages = typeof it;

const en: BridgeMessages = {
  title: 'CIE Software',
  switchLanguage: 'Italiano',
  switchLanguageCode: 'it',
  pinTitle: 'Identify yourself with your CIE',
  asks: 'The site',
  asksAfter: 'asks to identify you with your Electronic Identity Card.',
  checkOrigin: 'Continue only if you asked to sign in to this site.',
  placeCard: 'Place your CIE on the reader and enter the PIN.',
  pinLabel: 'PIN (8 digits)',
  pinHint: 'The PIN is the first 4 digits given at the Comune followed by the last 4 received with the card.',
  submit: 'Confirm',
  cancel: 'Cancel',
  wrongPin: (left) => (left === 1 ? 'Wrong PIN. 1 attempt left: one more mistake will block the PIN.' : `Wrong PIN. ${left} attempts left.`),
  wrongPinUnknown: 'Wrong PIN.',
  invalidPinFormat: 'The PIN must be 8 digits.',
  pinBlocked: 'The PIN is blocked after 3 wrong attempts. Unblock it with the PUK: run “cie-bridge pin unblock” (you need the PUK and a new PIN).',
  pukBlocked: 'The digital identity of this CIE is blocked for good (wrong PUK 10 times). The card must be replaced: contact your Comune.',
  noReader: 'No smart-card reader found. Connect the reader and try again.',
  noCard: 'No card on the reader. Place your CIE on the reader and try again.',
  cardRemoved: 'The card was moved away from the reader during the operation. Place it back and try again.',
  cardBusy: 'The card is in use by another program. Close it and try again.',
  timeout: 'The card does not answer. Place it on the reader again and retry.',
  pcscUnavailable: 'The system smart-card service (PC/SC) is not available. Start pcscd and try again.',
  unsupportedCard: 'This card is not a recognised CIE 3.0.',
  cardError: 'The card answered unexpectedly. Try again; if it persists, the card may be damaged.',
  expired: 'This request has expired. Go back to the site and start the sign-in again.',
  badRequest: 'Invalid request.',
  tooManyOpen: 'There are too many sign-in requests open on this computer. Finish the one you already opened, or wait a few minutes and start again from the site.',
  originNotAllowed: (origin) => `The site ${origin} is not allowed to use this program.`,
  forwarding: 'Identified. Returning to the site…',
  continue: 'Continue',
  retry: 'Try again',
  footer: 'Your PIN stays on your computer: the card checks it, it is never sent to the site.',
};

export function bridgeMessages(language: Language): BridgeMessages {
  return language === 'en' ? en : it;
}

export type { BridgeMessages };

/** Maps a card or transport error code to what the citizen reads. */
export function cardFailureMessage(m: BridgeMessages, code: string, triesLeft: unknown): string {
  switch (code) {
    case 'wrong_pin':
      return typeof triesLeft === 'number' ? m.wrongPin(triesLeft) : m.wrongPinUnknown;
    case 'invalid_pin_format':
      return m.invalidPinFormat;
    case 'pin_blocked':
      return m.pinBlocked;
    case 'puk_blocked':
      return m.pukBlocked;
    case 'no_reader':
      return m.noReader;
    case 'no_card':
      return m.noCard;
    case 'card_removed':
      return m.cardRemoved;
    case 'card_busy':
      return m.cardBusy;
    case 'timeout':
      return m.timeout;
    case 'pcsc_unavailable':
      return m.pcscUnavailable;
    case 'unsupported_card':
      return m.unsupportedCard;
    default:
      return m.cardError;
  }
}
