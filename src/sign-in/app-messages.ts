import type { Language } from '../shared/language.js';
import { pageFrameMessages } from '../shared/page-frame-messages.js';

/** The words of the app-as-a-factor pages (views/sign-in/app-*.ejs), in the frame every provider page wears. */
const it = {
  choiceHeading: 'Entra con l’app CieID',
  choiceLead: 'Livello 2: inquadra un codice QR con l’app CieID su un dispositivo certificato, senza password.',
  choiceButton: 'Entra con l’app CieID',
  qrTitle: 'Entra con l’app CieID',
  qrLead: (requester: string) => `«${requester}» chiede di verificare la tua identità (livello 2). Usa l’app CieID su un dispositivo che hai certificato con la CIE.`,
  scanHeading: 'Inquadra il codice QR',
  scanHow: 'Apri l’app CieID, scegli «Entra con QR Code» e inquadra questo codice. L’app ti mostra chi chiede l’accesso e ti chiede il codice di sicurezza o l’impronta.',
  qrLabel: 'Codice QR di livello 2 per l’app CieID',
  typedHeading: 'Non riesci a inquadrare il codice?',
  typedHow: (host: string) => `Nell’app CieID scegli di digitare il codice, indica il sito ${host} e scrivi:`,
  statusHeading: 'Stato',
  pushTitle: 'Conferma sull’app CieID',
  pushLead: (requester: string) => `«${requester}» chiede di verificare la tua identità (livello 2). Abbiamo inviato una richiesta all’app CieID sul tuo dispositivo predefinito.`,
  pickNumber: 'Sull’app CieID scegli',
  pickNumberHow: 'L’app ti mostra tre numeri: tocca quello scritto qui. Se non hai avviato tu l’accesso, rifiuta sull’app.',
  states: {
    waiting: 'In attesa dell’app CieID…',
    opened: 'App CieID collegata: conferma sull’app.',
    approved: 'Confermato sull’app. Prosegui…',
    denied: 'L’accesso è stato rifiutato sull’app.',
    failed: 'L’accesso non è riuscito.',
    expired: 'Il tempo per confermare è scaduto.',
  },
  noScript: 'Dopo aver confermato sull’app, premi «Continua».',
  continue: 'Continua',
  cancel: 'Annulla',
  l2HelpTitle: 'Usa l’app CieID',
  l2HelpLead: 'Questo codice QR serve ad accedere con l’app CieID su un dispositivo certificato: va letto con l’app, non con la fotocamera.',
  l2HelpHow: 'Apri l’app CieID, scegli «Entra con QR Code» e inquadra di nuovo il codice sullo schermo del computer.',
  noDeviceTitle: 'Nessun dispositivo certificato',
  noDeviceLead: 'La password è corretta, ma non hai ancora certificato l’app CieID su un dispositivo: la notifica non può essere inviata.',
  noDeviceHow: 'Per certificare il telefono, apri l’app CieID, scegli di certificare il dispositivo e leggi la CIE. Intanto puoi tornare indietro e scegliere un altro modo di accesso.',
  back: 'Scegli un altro modo di accesso',
};

type AppMessageSet = typeof it;

const en: AppMessageSet = {
  choiceHeading: 'Sign in with the CieID app',
  choiceLead: 'Level 2: scan a QR code with the CieID app on a certified device, no password.',
  choiceButton: 'Sign in with the CieID app',
  qrTitle: 'Sign in with the CieID app',
  qrLead: (requester: string) => `“${requester}” asks to verify your identity (level 2). Use the CieID app on a device you certified with your CIE.`,
  scanHeading: 'Scan the QR code',
  scanHow: 'Open the CieID app, choose “Entra con QR Code” and scan this code. The app shows who asks and asks for your security code or fingerprint.',
  qrLabel: 'Level-2 QR code for the CieID app',
  typedHeading: 'Cannot scan the code?',
  typedHow: (host: string) => `In the CieID app choose to type the code, name the site ${host} and type:`,
  statusHeading: 'Status',
  pushTitle: 'Confirm in the CieID app',
  pushLead: (requester: string) => `“${requester}” asks to verify your identity (level 2). We sent a request to the CieID app on your default device.`,
  pickNumber: 'In the CieID app pick',
  pickNumberHow: 'The app shows three numbers: tap the one written here. If you did not start this sign-in, refuse it in the app.',
  states: {
    waiting: 'Waiting for the CieID app…',
    opened: 'CieID app connected: confirm in the app.',
    approved: 'Confirmed in the app. Continuing…',
    denied: 'The sign-in was refused in the app.',
    failed: 'The sign-in failed.',
    expired: 'The time to confirm has run out.',
  },
  noScript: 'Once you have confirmed in the app, press “Continue”.',
  continue: 'Continue',
  cancel: 'Cancel',
  l2HelpTitle: 'Use the CieID app',
  l2HelpLead: 'This QR code is for signing in with the CieID app on a certified device: read it with the app, not with the camera.',
  l2HelpHow: 'Open the CieID app, choose “Entra con QR Code” and scan the code on the computer’s screen again.',
  noDeviceTitle: 'No certified device',
  noDeviceLead: 'The password is right, but you have not certified the CieID app on a device yet: the notification cannot be sent.',
  noDeviceHow: 'To certify your phone, open the CieID app, choose to certify the device and read your CIE. Meanwhile you can go back and choose another way to sign in.',
  back: 'Choose another way to sign in',
};

export function appMessages(language: Language): AppMessageSet & ReturnType<typeof pageFrameMessages> {
  return { ...pageFrameMessages(language), ...(language === 'en' ? en : it) };
}
