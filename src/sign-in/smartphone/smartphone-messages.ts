import type { Language } from '../../shared/language.js';
import { pageFrameMessages } from '../../shared/page-frame-messages.js';

/** The words of the smartphone sign-in's own pages (views/smartphone/), in the frame every provider page wears. */
const it = {
  sessionTitle: 'Prosegui con smartphone',
  sessionLead: (requester: string) => `«${requester}» chiede di verificare la tua identità con la CIE (livello 3). Usa l’app CieID sul tuo smartphone.`,
  scanHeading: 'Inquadra il codice QR',
  scanHow: 'Apri l’app CieID, scegli «Entra con QR Code» e inquadra questo codice.',
  qrLabel: 'Codice QR per l’app CieID',
  typedHeading: 'Non riesci a inquadrare il codice?',
  typedHow: (host: string) => `Nell’app CieID scegli di digitare il codice, indica il sito ${host} e scrivi:`,
  stepsHeading: 'Avanzamento',
  steps: {
    waiting_for_app: 'In attesa dell’app CieID…',
    app_opened: 'App CieID collegata: inserisci il PIN nell’app e avvicina la CIE allo smartphone.',
    assertion_verified: 'CIE verificata. Digita qui il codice mostrato dall’app.',
    otp_confirmed: 'Codice confermato. Prosegui…',
    failed: 'L’accesso non è riuscito.',
    expired: 'Il tempo per l’accesso è scaduto.',
  },
  timeLeft: 'Tempo rimasto',
  otpHeading: 'Codice mostrato dall’app',
  otpLabel: 'Codice di 6 cifre mostrato dall’app CieID',
  otpSubmit: 'Conferma il codice',
  cancel: 'Annulla',
  noScript: 'Quando l’app mostra il codice, scrivilo qui sotto.',
  sameDeviceTitle: 'Prosegui con l’app CieID',
  sameDeviceLead: (requester: string) => `«${requester}» chiede di verificare la tua identità con la CIE (livello 3).`,
  sameDeviceHow: 'Tocca il pulsante: si apre l’app CieID, che ti chiede il PIN e legge la CIE avvicinata al telefono. Al termine l’app ti riporta qui.',
  openApp: 'Apri l’app CieID',
  sameDeviceNoApp: 'Non hai l’app CieID? Scaricala dallo store del tuo telefono, poi torna su questa pagina.',
  qrHelpTitle: 'Usa l’app CieID',
  qrHelpLead: 'Questo codice QR serve ad accedere con la Carta di Identità Elettronica: va letto con l’app CieID, non con la fotocamera.',
  qrHelpHow: 'Apri l’app CieID, scegli «Entra con QR Code» e inquadra di nuovo il codice sullo schermo del computer. Se non hai l’app, scaricala dallo store del tuo telefono.',
};

export type SmartphoneMessages = typeof it & ReturnType<typeof pageFrameMessages>;

const en: typeof it = {
  sessionTitle: 'Continue with your smartphone',
  sessionLead: (requester) => `“${requester}” asks to verify your identity with your CIE (level 3). Use the CieID app on your smartphone.`,
  scanHeading: 'Scan the QR code',
  scanHow: 'Open the CieID app, choose “Entra con QR Code” and scan this code.',
  qrLabel: 'QR code for the CieID app',
  typedHeading: 'Cannot scan the code?',
  typedHow: (host) => `In the CieID app choose to type the code, enter the site ${host} and type:`,
  stepsHeading: 'Progress',
  steps: {
    waiting_for_app: 'Waiting for the CieID app…',
    app_opened: 'CieID app connected: enter your PIN in the app and hold your CIE against the phone.',
    assertion_verified: 'CIE verified. Type here the code the app shows.',
    otp_confirmed: 'Code confirmed. Continuing…',
    failed: 'The sign-in did not succeed.',
    expired: 'The time for the sign-in has run out.',
  },
  timeLeft: 'Time left',
  otpHeading: 'Code shown by the app',
  otpLabel: '6-digit code shown by the CieID app',
  otpSubmit: 'Confirm the code',
  cancel: 'Cancel',
  noScript: 'When the app shows the code, type it below.',
  sameDeviceTitle: 'Continue with the CieID app',
  sameDeviceLead: (requester) => `“${requester}” asks to verify your identity with your CIE (level 3).`,
  sameDeviceHow: 'Tap the button: the CieID app opens, asks for your PIN and reads the CIE held against the phone. When it is done, the app brings you back here.',
  openApp: 'Open the CieID app',
  sameDeviceNoApp: 'No CieID app? Get it from your phone’s app store, then come back to this page.',
  qrHelpTitle: 'Use the CieID app',
  qrHelpLead: 'This QR code is for signing in with the Electronic Identity Card: read it with the CieID app, not with the camera.',
  qrHelpHow: 'Open the CieID app, choose “Entra con QR Code” and scan the code on the computer’s screen again. If you do not have the app, get it from your phone’s app store.',
};

export function smartphoneMessages(language: Language): SmartphoneMessages {
  return { ...pageFrameMessages(language), ...(language === 'en' ? en : it) };
}
