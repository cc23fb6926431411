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
  pinBlocked: 'Il PIN è bloccato dopo 3 tentativi errati. Puoi sbloccarlo qui con il PUK e scegliere un nuovo PIN.',
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
  skipToContent: 'Vai al contenuto',
  languageNav: 'Lingua',
  cardTitle: 'La tua CIE',
  cardIntro: 'Da qui vedi quanti tentativi restano per PIN e PUK, cambi il PIN o lo sblocchi con il PUK. Appoggia la CIE sul lettore.',
  pinTriesLabel: 'Tentativi rimasti per il PIN',
  pukTriesLabel: 'Tentativi rimasti per il PUK',
  triesOf: (left: number, total: number) => `${left} su ${total}`,
  triesUnknown: 'non disponibile: la carta non lo comunica',
  pinBlockedShort: 'PIN bloccato: sbloccalo con il PUK',
  pukBlockedShort: 'PUK bloccato: la carta deve essere sostituita in Comune',
  statusUnavailable: 'Non è stato possibile leggere la carta.',
  refresh: 'Aggiorna',
  changePinTitle: 'Cambia il PIN',
  unblockTitle: 'Sblocca il PIN con il PUK',
  changePinIntro: 'Inserisci il PIN che usi oggi e scegli quello nuovo.',
  unblockIntro: 'Il PUK sblocca il PIN dopo 3 tentativi errati e ti fa scegliere un nuovo PIN. Come il PIN, è composto da due metà di 4 cifre: la prima sulla ricevuta del Comune, la seconda nella lettera con la carta.',
  currentPinLabel: 'PIN attuale (8 cifre)',
  newPinLabel: 'Nuovo PIN (8 cifre)',
  newPinAgainLabel: 'Ripeti il nuovo PIN',
  pukLabel: 'PUK (8 cifre)',
  policyTitle: 'Il nuovo PIN deve avere:',
  ruleLength: '8 cifre, solo numeri',
  ruleNotRepeated: 'non una sola cifra ripetuta (come 11111111)',
  ruleNotSequence: 'non cifre in fila, crescenti o decrescenti (come 23456789 o 76543210)',
  ruleSame: 'lo stesso valore nei due campi',
  ruleMet: 'rispettato',
  ruleNotMet: 'non ancora rispettato',
  pukWarning: 'Attenzione: dopo 10 PUK errati l’identità digitale della carta si blocca per sempre e la carta deve essere sostituita in Comune.',
  pukTriesNow: (left: number) => (left === 1 ? 'Resta 1 solo tentativo per il PUK.' : `Restano ${left} tentativi per il PUK.`),
  lastPukConfirmLabel: 'Ho capito: resta un solo tentativo. Se questo PUK è errato, la carta sarà bloccata per sempre.',
  lastPukNeedsConfirm: 'Resta un solo tentativo per il PUK. Se è errato, l’identità digitale della carta sarà bloccata per sempre: controlla il PUK e conferma spuntando la casella.',
  unknownPukConfirmLabel: 'Ho capito: la carta non dice quanti tentativi restano. Se questo PUK è errato e fosse l’ultimo, la carta sarà bloccata per sempre.',
  unknownPukNeedsConfirm: 'La carta non dice quanti tentativi restano per il PUK: potrebbe essere l’ultimo. Controlla il PUK e conferma spuntando la casella.',
  wrongPuk: (left: number) => (left === 1 ? 'PUK errato. Ti resta 1 tentativo.' : `PUK errato. Ti restano ${left} tentativi.`),
  wrongPukUnknown: 'PUK errato.',
  invalidPukFormat: 'Il PUK deve essere composto da 8 cifre.',
  invalidNewPinFormat: 'Il nuovo PIN deve essere composto da 8 cifre.',
  newPinsDiffer: 'I due nuovi PIN non coincidono.',
  weakPin: 'Il nuovo PIN è troppo semplice: non usare una sola cifra ripetuta né cifre in fila, crescenti o decrescenti.',
  pinChanged: 'PIN cambiato. D’ora in poi usa il nuovo PIN.',
  pinUnblocked: 'PIN sbloccato. D’ora in poi usa il nuovo PIN.',
  doneTitle: 'Fatto',
  backToLogin: 'Continua l’accesso con il nuovo PIN',
  backToService: 'Torna al servizio',
  backToCard: 'Torna alla tua CIE',
  unblockAction: 'Sblocca il PIN con il PUK',
  changeAction: 'Cambia il PIN',
  manageCard: 'Gestisci la tua CIE',
  lostCodes: 'Hai perso il PIN o il PUK?',
  blockedTitle: 'PIN bloccato',
  pinBlockedPukToo: 'Se anche il PUK è bloccato (10 tentativi errati), la carta deve essere sostituita: rivolgiti al tuo Comune.',
  progressTitle: 'Attendi, la carta sta lavorando',
  progressIntro: 'Non allontanare la CIE dal lettore finché l’operazione non è terminata.',
  stepCardFound: 'Carta trovata',
  stepSecureChannel: 'Canale sicuro con la carta aperto',
  stepPinChecked: 'PIN verificato dalla carta',
  stepSigned: 'Firma eseguita',
  stepDone: 'fatto',
  stepWaiting: 'in attesa',
  progressContinue: 'Se la pagina non prosegue da sola, premi «Continua».',
  forwardTitle: 'Identificazione riuscita',
  cardProblemTitle: 'Problema con la carta',
  errorSummary: 'Correggi questi errori:',
  expiredForm: 'Il modulo è scaduto o non viene da questa pagina. Riaprilo e riprova.',
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
  pinBlocked: 'The PIN is blocked after 3 wrong attempts. You can unblock it here with the PUK and choose a new PIN.',
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
  skipToContent: 'Skip to content',
  languageNav: 'Language',
  cardTitle: 'Your CIE',
  cardIntro: 'Here you see how many PIN and PUK attempts are left, change the PIN or unblock it with the PUK. Place your CIE on the reader.',
  pinTriesLabel: 'PIN attempts left',
  pukTriesLabel: 'PUK attempts left',
  triesOf: (left, total) => `${left} of ${total}`,
  triesUnknown: 'not available: the card does not tell',
  pinBlockedShort: 'PIN blocked: unblock it with the PUK',
  pukBlockedShort: 'PUK blocked: the card must be replaced at the Comune',
  statusUnavailable: 'The card could not be read.',
  refresh: 'Refresh',
  changePinTitle: 'Change the PIN',
  unblockTitle: 'Unblock the PIN with the PUK',
  changePinIntro: 'Enter the PIN you use today and choose the new one.',
  unblockIntro: 'The PUK unblocks the PIN after 3 wrong attempts and lets you choose a new PIN. Like the PIN, it comes in two halves of 4 digits: the first on the Comune’s receipt, the second in the letter with the card.',
  currentPinLabel: 'Current PIN (8 digits)',
  newPinLabel: 'New PIN (8 digits)',
  newPinAgainLabel: 'New PIN again',
  pukLabel: 'PUK (8 digits)',
  policyTitle: 'The new PIN must be:',
  ruleLength: '8 digits, numbers only',
  ruleNotRepeated: 'not one repeated digit (like 11111111)',
  ruleNotSequence: 'not digits in a row, up or down (like 23456789 or 76543210)',
  ruleSame: 'the same in both fields',
  ruleMet: 'met',
  ruleNotMet: 'not met yet',
  pukWarning: 'Warning: after 10 wrong PUKs the card’s digital identity is blocked for good and the card must be replaced at the Comune.',
  pukTriesNow: (left) => (left === 1 ? 'Only 1 PUK attempt is left.' : `${left} PUK attempts are left.`),
  lastPukConfirmLabel: 'I understand: only one attempt is left. If this PUK is wrong, the card will be blocked for good.',
  lastPukNeedsConfirm: 'Only one PUK attempt is left. If it is wrong, the card’s digital identity will be blocked for good: check the PUK and confirm by ticking the box.',
  unknownPukConfirmLabel: 'I understand: the card does not tell how many attempts are left. If this PUK is wrong and it was the last one, the card will be blocked for good.',
  unknownPukNeedsConfirm: 'The card does not tell how many PUK attempts are left: this may be the last one. Check the PUK and confirm by ticking the box.',
  wrongPuk: (left) => (left === 1 ? 'Wrong PUK. 1 attempt left.' : `Wrong PUK. ${left} attempts left.`),
  wrongPukUnknown: 'Wrong PUK.',
  invalidPukFormat: 'The PUK must be 8 digits.',
  invalidNewPinFormat: 'The new PIN must be 8 digits.',
  newPinsDiffer: 'The two new PINs differ.',
  weakPin: 'The new PIN is too simple: do not use one repeated digit or digits in a row, up or down.',
  pinChanged: 'PIN changed. From now on use the new PIN.',
  pinUnblocked: 'PIN unblocked. From now on use the new PIN.',
  doneTitle: 'Done',
  backToLogin: 'Continue signing in with the new PIN',
  backToService: 'Back to the service',
  backToCard: 'Back to your CIE',
  unblockAction: 'Unblock the PIN with the PUK',
  changeAction: 'Change the PIN',
  manageCard: 'Manage your CIE',
  lostCodes: 'Lost your PIN or PUK?',
  blockedTitle: 'PIN blocked',
  pinBlockedPukToo: 'If the PUK is blocked too (10 wrong attempts), the card must be replaced: contact your Comune.',
  progressTitle: 'Please wait, the card is working',
  progressIntro: 'Keep your CIE on the reader until the operation ends.',
  stepCardFound: 'Card found',
  stepSecureChannel: 'Secure channel with the card open',
  stepPinChecked: 'PIN checked by the card',
  stepSigned: 'Signed',
  stepDone: 'done',
  stepWaiting: 'waiting',
  progressContinue: 'If the page does not move on by itself, press “Continue”.',
  forwardTitle: 'Identified',
  cardProblemTitle: 'A problem with the card',
  errorSummary: 'Please correct these errors:',
  expiredForm: 'This form has expired or does not come from this page. Open it again and retry.',
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
    case 'wrong_puk':
      return typeof triesLeft === 'number' ? m.wrongPuk(triesLeft) : m.wrongPukUnknown;
    case 'invalid_puk_format':
      return m.invalidPukFormat;
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
