import type { Language } from '../language.js';

/** Values some messages name (tries left, the refused site...). Never a PIN, a PUK or free input text. */
export interface ErrorParams {
  triesLeft?: number | undefined;
  origin?: string | undefined;
  detail?: string | undefined;
  port?: number | undefined;
  path?: string | undefined;
}

type Words = string | ((params: ErrorParams) => string);
/** A message in both languages, Italian first. */
export interface Wording {
  it: Words;
  en: Words;
}

/**
 * Where the citizen reads the message. The provider's pages (sign-in, consent) are the default; the
 * account page, the bridge's pages and the bridge's command line say some codes differently (the
 * account page has no "service" to go back to; the CLI names its own commands).
 */
export type ErrorSurface = 'pages' | 'account' | 'bridge' | 'cli';

export interface ErrorEntry extends Wording {
  /** The HTTP status a page or JSON answer for this code carries. */
  status: number;
  /** The bridge shows the PIN page again for it: the citizen can fix it there (card on the reader, PIN retyped). */
  retryable: boolean;
  /** The page's heading when it is not the generic "could not be completed". */
  title?: Wording;
  /** Other words for the same code on another surface. */
  on?: Partial<Record<Exclude<ErrorSurface, 'pages'>, Wording>>;
}

// Wordings several codes share on purpose (a group of causes the citizen handles the same way).
const retryLogin = { it: 'Ricomincia l’accesso dal sito da cui sei partito.', en: 'Start the sign-in again from the site you came from.' };
const certificateNotAcceptable: Wording = {
  it: 'Il certificato della CIE non è accettabile. Se il problema persiste, rivolgiti al tuo Comune.',
  en: 'The CIE certificate is not acceptable. If the problem persists, contact your municipality.',
};
const checkLater: Wording = {
  it: 'Non è possibile verificare la validità della CIE, riprova più tardi.',
  en: 'The validity of the CIE cannot be checked right now, please try again later.',
};
const sessionExpired: Wording = {
  it: 'La sessione di accesso è scaduta o non è valida. Torna al servizio e riprova.',
  en: 'The sign-in session has expired or is not valid. Return to the service and try again.',
};
const accountSignInUnknown: Wording = {
  it: 'La richiesta di accesso è scaduta o è già stata usata. Riprova.',
  en: 'This sign-in request has expired or was already used. Try again.',
};
const genericError: Wording = { it: 'Si è verificato un errore. Riprova più tardi.', en: 'Something went wrong. Please try again later.' };
const bridgeBadRequest: Wording = { it: 'Richiesta non valida.', en: 'Invalid request.' };
const cardAnsweredUnexpectedly: Wording = {
  it: 'La carta ha risposto in modo inatteso. Riprova; se il problema persiste, la carta potrebbe essere danneggiata.',
  en: 'The card answered unexpectedly. Try again; if it persists, the card may be damaged.',
};
const temporarilyUnavailable: Wording = {
  it: 'Il servizio di accesso con CIE è temporaneamente non disponibile. Riprova tra qualche istante: se l’accesso era in corso, ricomincia dal servizio che lo ha chiesto.',
  en: 'The CIE sign-in service is temporarily unavailable. Please try again in a moment; if a sign-in was in progress, start again from the service that asked for it.',
};
const unavailableTitle: Wording = { it: 'Servizio momentaneamente non disponibile', en: 'Service temporarily unavailable' };
const tooManyTitle: Wording = { it: 'Troppi tentativi', en: 'Too many attempts' };
const bodyRefused = (status: number): ErrorEntry => ({ status, retryable: false, ...genericError, on: { bridge: bridgeBadRequest } });
/** A card failure the citizen cannot fix on the PIN page: the bridge answers 409 and sends the failure back. */
const cardFailure: ErrorEntry = { status: 409, retryable: false, ...cardAnsweredUnexpectedly };
const assertionRefused = (it: string, en: string): ErrorEntry => ({ status: 400, retryable: false, it, en });

const table = {
  // ——— The sign-in and consent pages (interaction) ———
  session_expired: { status: 400, retryable: false, ...sessionExpired, on: { account: { it: 'La sessione è scaduta. Identificati di nuovo con la CIE.', en: 'Your session has expired. Identify yourself again with your CIE.' } } },
  // The interaction exists but is at another step: for the citizen, the same as an expired one.
  wrong_prompt: { status: 400, retryable: false, ...sessionExpired },
  challenge_unknown: {
    status: 400,
    retryable: false,
    it: 'La richiesta di accesso è scaduta o è già stata usata. Torna al servizio e riprova.',
    en: 'This sign-in request has expired or was already used. Return to the service and try again.',
    on: { account: accountSignInUnknown },
  },
  cancelled: { status: 400, retryable: false, it: 'Hai annullato l’accesso con la CIE.', en: 'You cancelled the sign-in with your CIE.', on: { cli: { it: 'Operazione annullata.', en: 'Cancelled.' } } },
  /** An OAuth error the library raised for the RP's request (the page also shows the library's code). */
  request_refused: {
    status: 400,
    retryable: false,
    it: 'Il servizio da cui arrivi ha inviato una richiesta di accesso che non possiamo accettare. Torna al servizio e riprova; se succede di nuovo, segnalalo al servizio indicando il codice qui sotto.',
    en: 'The service you came from sent a sign-in request we cannot accept. Go back to the service and try again; if it happens again, report it to the service with the code below.',
  },

  // ——— The account page ———
  sign_in_expired: { status: 400, retryable: false, ...accountSignInUnknown },
  csrf_invalid: { status: 403, retryable: false, it: 'La richiesta non è valida o proviene da un’altra pagina. Riprova da qui.', en: 'The request was not valid or came from another page. Try again from here.' },

  // ——— Limits (429 with Retry-After) ———
  too_many_requests: { status: 429, retryable: false, title: tooManyTitle, it: 'Dalla tua rete sono arrivate troppe richieste di accesso. Attendi un minuto e riprova.', en: 'Too many sign-in requests have come from your network. Wait a minute and try again.' },
  too_many_challenges: {
    status: 429,
    retryable: false,
    title: tooManyTitle,
    it: 'Hai avviato l’accesso con la CIE troppe volte in questa sessione. Per sicurezza ricomincia l’accesso dal sito del servizio.',
    en: 'You started the CIE sign-in too many times in this session. For your safety, start the sign-in again from the service’s website.',
  },
  too_many_failures: {
    status: 429,
    retryable: false,
    title: tooManyTitle,
    it: 'Troppi tentativi di accesso con la CIE non sono riusciti. Per sicurezza ricomincia l’accesso dal sito del servizio.',
    en: 'Too many CIE sign-in attempts have failed. For your safety, start the sign-in again from the service’s website.',
  },

  // ——— The smartphone sign-in (docs/app-protocol.md "Errors"; the app reads the same words as JSON) ———
  session_not_found: { status: 404, retryable: false, it: 'Questa richiesta di accesso non esiste o è scaduta. Ricomincia dal sito.', en: 'This sign-in request does not exist or has expired. Start again from the website.' },
  qr_invalid: { status: 409, retryable: false, it: 'Questo codice QR (o codice digitato) non è più valido: è già stato usato o è scaduto. Ricomincia dal sito per averne uno nuovo.', en: 'This QR code (or typed code) is no longer valid: it was already used or has expired. Start again from the website to get a new one.' },
  wrong_state: { status: 409, retryable: false, it: 'Questo passaggio non è più possibile per questa richiesta di accesso.', en: 'This step is no longer possible for this sign-in request.' },
  not_this_session: { status: 403, retryable: false, it: 'Questa richiesta appartiene a un’altra sessione del browser.', en: 'This request belongs to another browser session.' },
  card_number_invalid: { status: 400, retryable: false, it: 'Il numero della carta non è scritto nel formato giusto: 2 lettere, 5 cifre e 2 lettere (per esempio CA00000AA), come in alto a destra sulla CIE. Riprova, oppure lascia il campo vuoto.', en: 'The card number is not in the right format: 2 letters, 5 digits and 2 letters (for example CA00000AA), as printed top right on the CIE. Try again, or leave the field empty.' },
  card_mismatch: { status: 403, retryable: false, it: 'La CIE letta non è quella indicata sul computer (numero della carta diverso).', en: 'The CIE that was read is not the one entered on the computer (different card number).' },
  assertion_refused: { status: 400, retryable: false, it: 'La firma della CIE non è stata accettata.', en: 'The CIE signature was not accepted.' },
  wrong_otp: { status: 400, retryable: false, it: 'Codice errato. Controlla il codice mostrato dall’app e riprova.', en: 'Wrong code. Check the code shown by the app and try again.' },
  too_many_otp_attempts: { status: 429, retryable: false, title: tooManyTitle, it: 'Troppi codici errati. Ricomincia l’accesso dal sito.', en: 'Too many wrong codes. Start the sign-in again from the website.' },
  otp_expired: { status: 410, retryable: false, it: 'Il codice è scaduto. Ricomincia l’accesso dal sito.', en: 'The code has expired. Start the sign-in again from the website.' },
  malformed_request: { status: 400, retryable: false, ...bridgeBadRequest },
  too_many_streams: { status: 503, retryable: false, title: unavailableTitle, it: 'Il servizio è molto occupato. Riprova tra poco.', en: 'The service is very busy. Try again shortly.' },

  // ——— The CieID app as a level-2 factor (docs/app-protocol.md "Level 2: the app as a factor"; the app reads them as JSON) ———
  app_device_unknown: { status: 401, retryable: false, it: 'Questo dispositivo non è certificato (o è stato revocato). Certificalo di nuovo nell’app CieID con la tua CIE.', en: 'This device is not certified (or was withdrawn). Certify it again in the CieID app with your CIE.' },
  app_request_invalid: { status: 400, retryable: false, it: 'La richiesta dell’app CieID non è valida.', en: 'The CieID app’s request is not valid.' },
  app_request_replayed: { status: 400, retryable: false, it: 'La richiesta dell’app CieID è già stata usata o l’orologio del telefono non è corretto. Controlla data e ora e riprova.', en: 'The CieID app’s request was already used, or the phone’s clock is wrong. Check the date and time and try again.' },
  app_enrolment_unknown: { status: 404, retryable: false, it: 'La certificazione del dispositivo è scaduta o è già stata completata. Ricomincia dall’app.', en: 'The device certification has expired or was already completed. Start again from the app.' },
  approval_unknown: { status: 404, retryable: false, it: 'Questa richiesta di accesso non è (più) per questo dispositivo.', en: 'This sign-in request is not (or no longer) for this device.' },
  app_approval_expired: { status: 410, retryable: false, it: 'Il tempo per confermare l’accesso sull’app CieID è scaduto. Riprova.', en: 'The time to confirm the sign-in in the CieID app has run out. Try again.' },
  app_approval_denied: { status: 403, retryable: false, it: 'L’accesso è stato rifiutato sull’app CieID.', en: 'The sign-in was refused in the CieID app.' },
  app_number_mismatch: { status: 403, retryable: false, it: 'Sull’app è stato scelto un numero diverso da quello mostrato sul sito: l’accesso non è riuscito. Ricomincia l’accesso.', en: 'A number other than the one shown on the website was picked in the app: the sign-in failed. Start the sign-in again.' },
  too_many_app_pushes: { status: 429, retryable: false, title: tooManyTitle, it: 'Abbiamo già inviato troppe notifiche all’app CieID per questo accesso. Attendi qualche minuto, oppure entra in un altro modo.', en: 'We have already sent too many notifications to the CieID app. Wait a few minutes, or sign in another way.' },
  too_many_app_devices: { status: 409, retryable: false, it: 'Hai già 5 dispositivi certificati. Revocane uno nella pagina "I tuoi accessi" prima di certificarne un altro.', en: 'You already have 5 certified devices. Withdraw one on the "I tuoi accessi" page before certifying another.' },
  no_app_device: { status: 404, retryable: false, it: 'Nessun dispositivo certificato: per entrare con l’app CieID, certifica prima il telefono nell’app con la tua CIE. Intanto puoi scegliere un altro modo di accesso.', en: 'No certified device: to sign in with the CieID app, first certify your phone in the app with your CIE. Meanwhile you can choose another way to sign in.' },

  // ——— Levels 1 and 2: password, e-mail code, passkey (docs/levels.md; never says which part was wrong) ———
  invalid_credentials: { status: 401, retryable: false, it: 'Nome utente o password non corretti.', en: 'Wrong username or password.' },
  account_throttled: { status: 429, retryable: false, title: tooManyTitle, it: 'Troppi tentativi non riusciti per questo nome utente. Attendi qualche minuto e riprova, oppure entra con la CIE.', en: 'Too many failed attempts for this username. Wait a few minutes and try again, or sign in with your CIE.' },
  too_many_password_attempts: { status: 429, retryable: false, title: tooManyTitle, it: 'Dalla tua rete sono arrivati troppi tentativi di accesso con password. Attendi qualche minuto e riprova.', en: 'Too many password sign-in attempts have come from your network. Wait a few minutes and try again.' },
  too_many_code_mails: { status: 429, retryable: false, title: tooManyTitle, it: 'Ti abbiamo già inviato troppi codici. Attendi qualche minuto prima di chiederne un altro.', en: 'We have already sent you too many codes. Wait a few minutes before asking for another.' },
  too_many_passkey_ceremonies: { status: 429, retryable: false, title: tooManyTitle, it: 'Dalla tua rete sono arrivati troppi accessi con passkey. Attendi qualche minuto e riprova.', en: 'Too many passkey sign-ins have come from your network. Wait a few minutes and try again.' },
  code_invalid: { status: 400, retryable: false, it: 'Codice errato o non più valido.', en: 'Wrong code, or no longer valid.' },
  code_expired: { status: 410, retryable: false, it: 'Il codice è scaduto. Ricomincia l’accesso per riceverne uno nuovo.', en: 'The code has expired. Start the sign-in again to receive a new one.' },
  code_attempts_exhausted: { status: 429, retryable: false, title: tooManyTitle, it: 'Troppi codici errati. Ricomincia l’accesso per riceverne uno nuovo.', en: 'Too many wrong codes. Start the sign-in again to receive a new one.' },
  passkey_refused: { status: 400, retryable: false, it: 'La passkey non è stata accettata. Usa una passkey registrata per questo sito, oppure entra con la CIE.', en: 'The passkey was not accepted. Use a passkey registered for this site, or sign in with your CIE.' },
  passkey_ceremony_expired: { status: 400, retryable: false, it: 'La richiesta di accesso con passkey è scaduta o è già stata usata. Riprova.', en: 'This passkey sign-in request has expired or was already used. Try again.' },
  // The SMTP server refused or did not answer: the code was not sent.
  mail_unavailable: { status: 503, retryable: false, title: unavailableTitle, it: 'Non è stato possibile inviare il codice per e-mail. Riprova tra qualche minuto, oppure entra con una passkey o con la CIE.', en: 'The code could not be sent by e-mail. Try again in a few minutes, or sign in with a passkey or your CIE.' },

  // ——— Outages (503 with Retry-After) ———
  temporarily_unavailable: { status: 503, retryable: false, title: unavailableTitle, ...temporarilyUnavailable },
  // The access registry's database down: the citizen reads the same as for the state storage.
  registry_unavailable: { status: 503, retryable: false, title: unavailableTitle, ...temporarilyUnavailable },

  // ——— Request bodies (src/shared/form-body.ts) ———
  body_too_large: bodyRefused(413),
  unsupported_media_type: bodyRefused(415),
  // 415 as every room answered it before the table (raw-body's charset refusals land here too).
  body_unreadable: bodyRefused(415),

  // ——— A Host that is not the provider's (src/oidc/issuer-host.ts; 421 Misdirected Request, RFC 9110 §15.5.20) ———
  misdirected_request: {
    status: 421,
    retryable: false,
    title: { it: 'Indirizzo non riconosciuto', en: 'Address not recognised' },
    it: ({ origin }) => `Questo servizio non risponde all’indirizzo che hai usato. Apri ${origin || 'l’indirizzo ufficiale del servizio'} scrivendolo tu, senza seguire link o redirect.`,
    en: ({ origin }) => `This service does not answer at the address you used. Open ${origin || 'the service’s official address'} by typing it yourself, without following links or redirects.`,
  },

  // ——— Unexpected ———
  server_error: { status: 500, retryable: false, ...genericError, on: { bridge: cardAnsweredUnexpectedly } },
  internal_error: {
    status: 500,
    retryable: false,
    it: 'Si è verificato un errore imprevisto. Riprova più tardi.',
    en: 'An unexpected error occurred. Please try again later.',
    on: { bridge: cardAnsweredUnexpectedly, cli: { it: 'Errore inatteso. Riprova; se il problema persiste, segnalalo.', en: 'Unexpected error. Try again; if it persists, report it.' } },
  },

  // ——— The bridge's pages ———
  origin_not_allowed: {
    status: 403,
    retryable: false,
    it: ({ origin }) => `Il sito ${origin || '?'} non è tra quelli autorizzati a usare questo programma.`,
    en: ({ origin }) => `The site ${origin || '?'} is not allowed to use this program.`,
  },
  bad_request: { status: 400, retryable: false, ...bridgeBadRequest },
  // A page of another site loaded the URL, or posted to it: refused without saying more.
  not_a_navigation: { status: 403, retryable: false, ...bridgeBadRequest },
  forbidden_origin: { status: 403, retryable: false, ...bridgeBadRequest },
  bad_form_token: { status: 403, retryable: false, it: 'Il modulo è scaduto o non viene da questa pagina. Riaprilo e riprova.', en: 'This form has expired or does not come from this page. Open it again and retry.' },
  expired: { status: 410, retryable: false, it: 'La richiesta è scaduta. Torna al sito e ricomincia l’accesso.', en: 'This request has expired. Go back to the site and start the sign-in again.' },
  too_many_open: {
    status: 503,
    retryable: false,
    it: 'Ci sono troppe richieste di accesso aperte su questo computer. Completa quella che hai già aperto, oppure attendi qualche minuto e ricomincia dal sito.',
    en: 'There are too many sign-in requests open on this computer. Finish the one you already opened, or wait a few minutes and start again from the site.',
  },

  // ——— The card and the reader (bridge pages and CLI); retryable ones bring the PIN page back with 400 ———
  wrong_pin: {
    status: 400,
    retryable: true,
    it: ({ triesLeft }) => (triesLeft === undefined ? 'PIN errato.' : triesLeft === 1 ? 'PIN errato. Ti resta 1 tentativo: un altro errore bloccherà il PIN.' : `PIN errato. Ti restano ${triesLeft} tentativi.`),
    en: ({ triesLeft }) => (triesLeft === undefined ? 'Wrong PIN.' : triesLeft === 1 ? 'Wrong PIN. 1 attempt left: one more mistake will block the PIN.' : `Wrong PIN. ${triesLeft} attempts left.`),
  },
  invalid_pin_format: { status: 400, retryable: true, it: 'Il PIN deve essere composto da 8 cifre.', en: 'The PIN must be 8 digits.' },
  no_reader: { status: 400, retryable: true, it: 'Nessun lettore di smart card trovato. Collega il lettore e riprova.', en: 'No smart-card reader found. Connect the reader and try again.' },
  no_card: { status: 400, retryable: true, it: 'Nessuna carta sul lettore. Appoggia la CIE sul lettore e riprova.', en: 'No card on the reader. Place your CIE on the reader and try again.' },
  card_removed: { status: 400, retryable: true, it: 'La carta è stata allontanata dal lettore durante l’operazione. Riappoggiala e riprova.', en: 'The card was moved away from the reader during the operation. Place it back and try again.' },
  card_busy: { status: 400, retryable: true, it: 'La carta è in uso da un altro programma. Chiudilo e riprova.', en: 'The card is in use by another program. Close it and try again.' },
  timeout: { status: 400, retryable: true, it: 'La carta non risponde. Riposizionala sul lettore e riprova.', en: 'The card does not answer. Place it on the reader again and retry.' },
  pin_blocked: {
    status: 409,
    retryable: false,
    it: 'Il PIN è bloccato dopo 3 tentativi errati. Puoi sbloccarlo qui con il PUK e scegliere un nuovo PIN.',
    en: 'The PIN is blocked after 3 wrong attempts. You can unblock it here with the PUK and choose a new PIN.',
    on: {
      // The card answers "blocked" to VERIFY PIN both when only the PIN is blocked and after the PUK is exhausted.
      cli: {
        it: 'Il PIN è bloccato dopo 3 tentativi errati. Sbloccalo con il PUK: esegui «cie-bridge pin unblock» (ti serviranno il PUK e un nuovo PIN), oppure apri la pagina «La tua CIE» del bridge. Se anche il PUK è bloccato, la carta deve essere sostituita: rivolgiti al tuo Comune.',
        en: 'The PIN is blocked after 3 wrong attempts. Unblock it with the PUK: run “cie-bridge pin unblock” (you need the PUK and a new PIN), or open the bridge’s “Your CIE” page. If the PUK is blocked too, the card must be replaced: contact your Comune.',
      },
    },
  },
  puk_blocked: {
    status: 409,
    retryable: false,
    it: 'L’identità digitale di questa CIE è bloccata in modo definitivo (PUK errato 10 volte). La carta deve essere sostituita: rivolgiti al tuo Comune.',
    en: 'The digital identity of this CIE is blocked for good (wrong PUK 10 times). The card must be replaced: contact your Comune.',
  },
  wrong_puk: {
    status: 400,
    retryable: false,
    it: ({ triesLeft }) => (triesLeft === undefined ? 'PUK errato.' : triesLeft === 1 ? 'PUK errato. Ti resta 1 tentativo.' : `PUK errato. Ti restano ${triesLeft} tentativi.`),
    en: ({ triesLeft }) => (triesLeft === undefined ? 'Wrong PUK.' : triesLeft === 1 ? 'Wrong PUK. 1 attempt left.' : `Wrong PUK. ${triesLeft} attempts left.`),
  },
  invalid_puk_format: { status: 400, retryable: false, it: 'Il PUK deve essere composto da 8 cifre.', en: 'The PUK must be 8 digits.' },
  invalid_new_pin_format: { status: 400, retryable: false, it: 'Il nuovo PIN deve essere composto da 8 cifre.', en: 'The new PIN must be 8 digits.' },
  new_pins_differ: {
    status: 400,
    retryable: false,
    it: 'I due nuovi PIN non coincidono.',
    en: 'The two new PINs differ.',
    on: { cli: { it: 'I due nuovi PIN non coincidono. Il PIN non è stato cambiato.', en: 'The two new PINs differ. The PIN was not changed.' } },
  },
  weak_pin: {
    status: 400,
    retryable: false,
    it: 'Il nuovo PIN è troppo semplice: non usare una sola cifra ripetuta né cifre in fila, crescenti o decrescenti.',
    en: 'The new PIN is too simple: do not use one repeated digit or digits in a row, up or down.',
  },
  pcsc_unavailable: { ...cardFailure, it: 'Il servizio smart card del sistema (PC/SC) non è disponibile. Avvia pcscd e riprova.', en: 'The system smart-card service (PC/SC) is not available. Start pcscd and try again.' },
  unsupported_card: { ...cardFailure, it: 'Questa carta non è una CIE 3.0 riconosciuta.', en: 'This card is not a recognised CIE 3.0.' },
  // Failures inside the card conversation: the citizen can only retry or suspect the card.
  card_error: cardFailure,
  secure_messaging: cardFailure,
  device_auth_failed: cardFailure,
  malformed_response: cardFailure,
  invalid_device_keys: cardFailure,
  invalid_challenge: cardFailure,
  transport_failed: cardFailure,

  // ——— The bridge's command line (the status is what the bridge's pages would answer) ———
  usage: { status: 400, retryable: false, it: ({ detail }) => `Comando non valido: ${detail ?? '?'}.`, en: ({ detail }) => `Invalid command: ${detail ?? '?'}.` },
  device_keys_unreadable: {
    status: 500,
    retryable: false,
    it: ({ path }) => `File delle chiavi di autenticazione del dispositivo non valido o non leggibile: ${path ?? '?'} (BRIDGE_DEVICE_KEYS, --device-keys).`,
    en: ({ path }) => `The device-authentication keys file is invalid or unreadable: ${path ?? '?'} (BRIDGE_DEVICE_KEYS, --device-keys).`,
  },
  virtual_card_unreadable: {
    status: 500,
    retryable: false,
    it: ({ path }) => `File della carta virtuale non valido o non leggibile: ${path ?? '?'} (BRIDGE_VIRTUAL_CARD, --card).`,
    en: ({ path }) => `The virtual card file is invalid or unreadable: ${path ?? '?'} (BRIDGE_VIRTUAL_CARD, --card).`,
  },
  port_in_use: {
    status: 500,
    retryable: false,
    it: ({ port }) => `La porta ${port ?? '?'} è già in uso: forse il bridge è già avviato (BRIDGE_PORT).`,
    en: ({ port }) => `Port ${port ?? '?'} is already in use: maybe the bridge is already running (BRIDGE_PORT).`,
  },
  invalid_config: { status: 500, retryable: false, it: ({ detail }) => `Configurazione non valida: ${detail ?? '?'}`, en: ({ detail }) => `Invalid configuration: ${detail ?? '?'}` },
  certificate_unreadable: { status: 409, retryable: false, it: 'Il certificato della carta non contiene un’identità leggibile.', en: 'The card certificate holds no readable identity.' },

  // ——— The verifier's refusals (src/cie/verify/assertion-error.ts); never names a cause an attacker could tune against ———
  assertion_too_large: assertionRefused(`La risposta del lettore è troppo grande. ${retryLogin.it}`, `The card reader's answer is too large. ${retryLogin.en}`),
  malformed_assertion: assertionRefused('La risposta del programma di lettura della CIE non è valida. Aggiorna il programma e riprova.', 'The answer of the CIE reader program is not valid. Update the program and try again.'),
  challenge_not_found: assertionRefused(`Questa richiesta di accesso è già stata usata o non esiste. ${retryLogin.it}`, `This sign-in request was already used or does not exist. ${retryLogin.en}`),
  challenge_expired: assertionRefused(`La richiesta di accesso è scaduta. ${retryLogin.it}`, `The sign-in request has expired. ${retryLogin.en}`),
  challenge_interaction_mismatch: assertionRefused(`La CIE ha risposto a una richiesta di accesso diversa da questa. ${retryLogin.it}`, `The CIE answered a different sign-in request. ${retryLogin.en}`),
  unsupported_format: assertionRefused('La versione del programma di lettura della CIE non è compatibile. Aggiorna il programma e riprova.', 'The version of the CIE reader program is not compatible. Update the program and try again.'),
  origin_mismatch: assertionRefused('La CIE ha firmato per un sito diverso da questo. Per sicurezza l’accesso è stato bloccato.', 'The CIE signed for a different site. The sign-in was blocked for your safety.'),
  unsupported_algorithm: assertionRefused('La CIE ha usato un algoritmo di firma non accettato. Aggiorna il programma di lettura e riprova.', 'The CIE used a signature algorithm that is not accepted. Update the reader program and try again.'),
  malformed_certificate: assertionRefused('Il certificato letto dalla CIE non è leggibile. Riprova.', 'The certificate read from the CIE cannot be decoded. Please try again.'),
  invalid_signature: assertionRefused('La firma della CIE non è valida. Riprova; se il problema persiste, la carta potrebbe essere danneggiata.', 'The CIE signature is not valid. Please try again; if the problem persists the card may be damaged.'),
  certificate_not_yet_valid: assertionRefused('Il certificato della CIE non è ancora valido. Controlla la data e l’ora del computer o riprova più tardi.', 'The CIE certificate is not valid yet. Check the date and time of your computer or try again later.'),
  certificate_expired: assertionRefused('La CIE è scaduta. Rivolgiti al tuo Comune per rinnovarla.', 'The CIE has expired. Contact your municipality to renew it.'),
  not_end_entity_certificate: { status: 400, retryable: false, ...certificateNotAcceptable },
  wrong_key_usage: { status: 400, retryable: false, ...certificateNotAcceptable },
  missing_identity: { status: 400, retryable: false, ...certificateNotAcceptable },
  wrong_certificate_policy: assertionRefused('Il certificato letto non è quello di una CIE. Usa la Carta d’Identità Elettronica.', 'The certificate read is not a CIE certificate. Please use an Italian electronic identity card.'),
  self_signed_certificate: assertionRefused('Il certificato letto non è stato emesso dal Ministero dell’Interno. Usa una CIE autentica.', 'The certificate read was not issued by the Ministry of the Interior. Please use a genuine CIE.'),
  untrusted_certificate: assertionRefused('Il certificato della CIE non risulta emesso da un’autorità riconosciuta. Usa una CIE autentica.', 'The CIE certificate was not issued by a recognised authority. Please use a genuine CIE.'),
  certificate_revoked: assertionRefused('La CIE risulta revocata e non può essere usata per accedere. Rivolgiti al tuo Comune.', 'The CIE has been revoked and cannot be used to sign in. Contact your municipality.'),
  certificate_suspended: assertionRefused('La CIE risulta sospesa (per esempio dopo una denuncia di smarrimento). Rivolgiti al tuo Comune.', 'The CIE is suspended (for example after it was reported lost). Contact your municipality.'),
  revocation_unknown: { status: 400, retryable: false, ...checkLater },
  revocation_unavailable: { status: 400, retryable: false, ...checkLater },
  ocsp_invalid_signature: { status: 400, retryable: false, ...checkLater },
  ocsp_unauthorised_responder: { status: 400, retryable: false, ...checkLater },
  ocsp_certid_mismatch: { status: 400, retryable: false, ...checkLater },
  ocsp_stale: { status: 400, retryable: false, ...checkLater },
  ocsp_nonce_mismatch: { status: 400, retryable: false, ...checkLater },
  crl_invalid_signature: { status: 400, retryable: false, ...checkLater },
  crl_stale: { status: 400, retryable: false, ...checkLater },
  invalid_fiscal_code: assertionRefused('Il codice fiscale nel certificato della CIE non è valido. Rivolgiti al tuo Comune.', 'The fiscal code in the CIE certificate is not valid. Contact your municipality.'),
} satisfies Record<string, ErrorEntry>;

/** Every stable code a page, the bridge or the CLI shows. */
export type ErrorCode = keyof typeof table;

export const errorCodes = Object.keys(table) as ErrorCode[];

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(table, code);
}

/** The entry for a code; an unknown code gets the internal error's (never a crash, never an echo of the code's text). */
export function errorEntry(code: string): ErrorEntry {
  return isErrorCode(code) ? table[code] : table.internal_error;
}

export function errorStatus(code: string): number {
  return errorEntry(code).status;
}

/** Whether the bridge lets the citizen try again on the PIN page. */
export function isRetryable(code: string): boolean {
  return errorEntry(code).retryable;
}

function say(words: Words, params: ErrorParams): string {
  return typeof words === 'function' ? words(params) : words;
}

/** What the citizen reads for a code, on a surface (default: the provider's pages). */
export function errorMessage(code: string, language: Language, options: { surface?: ErrorSurface; params?: ErrorParams } = {}): string {
  const entry = errorEntry(code);
  const wording = (options.surface && options.surface !== 'pages' && entry.on?.[options.surface]) || entry;
  return say(wording[language], options.params ?? {});
}

/** The page heading a code asks for, or undefined for the surface's generic one. */
export function errorTitle(code: string, language: Language): string | undefined {
  const title = errorEntry(code).title;
  return title ? say(title[language], {}) : undefined;
}
