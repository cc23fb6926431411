import type { Language } from '../../shared/language.js';

// The words of the command's own steps; what went wrong is the error table's (describe-failure.ts).

const USAGE_IT = `Uso:
  cie-bridge serve                      avvia il bridge locale per «Entra con CIE»
  cie-bridge status [--pin-prompt]      lettori e carta (NIS); con il PIN anche il titolare
  cie-bridge pin change                 cambia il PIN
  cie-bridge pin unblock                sblocca il PIN con il PUK e ne imposta uno nuovo
Opzioni: --transport pcsc|virtual  --card <file carta virtuale>  --device-keys <file>
         --reader <nome lettore>  --lang it|en`;

const USAGE_EN = `Usage:
  cie-bridge serve                      start the local bridge for "Entra con CIE"
  cie-bridge status [--pin-prompt]      readers and card (NIS); with the PIN also the holder
  cie-bridge pin change                 change the PIN
  cie-bridge pin unblock                unblock the PIN with the PUK and set a new one
Options: --transport pcsc|virtual  --card <virtual card file>  --device-keys <file>
         --reader <reader name>  --lang it|en`;

const it = {
  usage: USAGE_IT,
  usageProblems: {
    missing_command: 'manca il comando',
    unknown_command: 'comando sconosciuto',
    bad_option: 'opzione sconosciuta o senza valore',
    pin_prompt_scope: '--pin-prompt vale solo per «status»',
    transport: '--transport deve essere pcsc o virtual',
    lang: '--lang deve essere it o en',
  } as Record<string, string>,
  listening: (url: string) => `Bridge CIE in ascolto su ${url} (Ctrl+C per fermarlo).`,
  stopped: 'Bridge CIE fermato.',
  readers: 'Lettori:',
  noReaders: '  (nessuno)',
  reader: (name: string, cardPresent: boolean) => `  ${name}: ${cardPresent ? 'carta presente' : 'nessuna carta'}`,
  family: (name: string) => `Carta: CIE 3.0 (chip ${name})`,
  nis: (nis: string) => `NIS: ${nis}`,
  holder: (name: string) => `Titolare: ${name}`,
  fiscalCode: (code: string) => `Codice fiscale: ${code}`,
  documentNumber: (number: string) => `Numero carta: ${number}`,
  expiresOn: (date: string) => `Scadenza certificato: ${date}`,
  askPin: 'PIN (8 cifre):',
  askCurrentPin: 'PIN attuale (8 cifre):',
  askNewPin: 'Nuovo PIN (8 cifre):',
  askNewPinAgain: 'Ripeti il nuovo PIN:',
  askPuk: 'PUK (8 cifre):',
  pinChanged: 'PIN cambiato. D’ora in poi usa il nuovo PIN.',
  pinUnblocked: 'PIN sbloccato. D’ora in poi usa il nuovo PIN.',
  lastPukWarning:
    'ATTENZIONE: resta un solo tentativo per il PUK. Se anche questo PUK è errato, l’identità digitale della CIE sarà bloccata in modo irreversibile e la carta dovrà essere sostituita in Comune.',
  confirmPrompt: 'Scrivi SI per continuare:',
  confirmWord: 'SI',
};

export type CliMessages = typeof it;

const en: CliMessages = {
  usage: USAGE_EN,
  usageProblems: {
    missing_command: 'missing command',
    unknown_command: 'unknown command',
    bad_option: 'unknown option, or an option without its value',
    pin_prompt_scope: '--pin-prompt only applies to "status"',
    transport: '--transport must be pcsc or virtual',
    lang: '--lang must be it or en',
  },
  listening: (url) => `CIE bridge listening on ${url} (Ctrl+C to stop).`,
  stopped: 'CIE bridge stopped.',
  readers: 'Readers:',
  noReaders: '  (none)',
  reader: (name, cardPresent) => `  ${name}: ${cardPresent ? 'card present' : 'no card'}`,
  family: (name) => `Card: CIE 3.0 (${name} chip)`,
  nis: (nis) => `NIS: ${nis}`,
  holder: (name) => `Holder: ${name}`,
  fiscalCode: (code) => `Fiscal code: ${code}`,
  documentNumber: (number) => `Card number: ${number}`,
  expiresOn: (date) => `Certificate expires: ${date}`,
  askPin: 'PIN (8 digits):',
  askCurrentPin: 'Current PIN (8 digits):',
  askNewPin: 'New PIN (8 digits):',
  askNewPinAgain: 'New PIN again:',
  askPuk: 'PUK (8 digits):',
  pinChanged: 'PIN changed. From now on use the new PIN.',
  pinUnblocked: 'PIN unblocked. From now on use the new PIN.',
  lastPukWarning:
    'WARNING: only one PUK attempt is left. If this PUK is wrong too, the digital identity of the CIE is blocked for good and the card must be replaced at the Comune.',
  confirmPrompt: 'Type YES to continue:',
  confirmWord: 'YES',
};

export function cliMessages(language: Language): CliMessages {
  return language === 'en' ? en : it;
}
