import { CodedError } from '../../shared/coded-error.js';
import type { Language } from '../../shared/language.js';

/** Every refusal of the smartphone sign-in, as the app and the desktop page see it (docs/app-protocol.md "Errors"). */
export const smartphoneErrors = {
  session_not_found: { status: 404, retryable: false, it: 'Questa richiesta di accesso non esiste o è scaduta. Ricomincia dal sito.', en: 'This sign-in request does not exist or has expired. Start again from the website.' },
  session_expired: { status: 410, retryable: false, it: 'Il tempo per completare l’accesso è scaduto. Ricomincia dal sito.', en: 'The time to complete the sign-in has run out. Start again from the website.' },
  qr_invalid: { status: 409, retryable: false, it: 'Questo codice QR (o codice digitato) non è più valido: è già stato usato o è scaduto. Ricomincia dal sito per averne uno nuovo.', en: 'This QR code (or typed code) is no longer valid: it was already used or has expired. Start again from the website to get a new one.' },
  wrong_state: { status: 409, retryable: false, it: 'Questo passaggio non è più possibile per questa richiesta di accesso.', en: 'This step is no longer possible for this sign-in request.' },
  not_this_session: { status: 403, retryable: false, it: 'Questa richiesta appartiene a un’altra sessione del browser.', en: 'This request belongs to another browser session.' },
  card_mismatch: { status: 403, retryable: false, it: 'La CIE letta non è quella indicata sul computer (numero della carta diverso).', en: 'The CIE that was read is not the one entered on the computer (different card number).' },
  assertion_refused: { status: 400, retryable: false, it: 'La firma della CIE non è stata accettata.', en: 'The CIE signature was not accepted.' },
  wrong_otp: { status: 400, retryable: true, it: 'Codice errato. Controlla il codice mostrato dall’app e riprova.', en: 'Wrong code. Check the code shown by the app and try again.' },
  too_many_otp_attempts: { status: 429, retryable: false, it: 'Troppi codici errati. Ricomincia l’accesso dal sito.', en: 'Too many wrong codes. Start the sign-in again from the website.' },
  otp_expired: { status: 410, retryable: false, it: 'Il codice è scaduto. Ricomincia l’accesso dal sito.', en: 'The code has expired. Start the sign-in again from the website.' },
  malformed_request: { status: 400, retryable: false, it: 'Richiesta non valida.', en: 'Invalid request.' },
  too_many_streams: { status: 503, retryable: true, it: 'Il servizio è molto occupato. Riprova tra poco.', en: 'The service is very busy. Try again shortly.' },
  too_many_requests: { status: 429, retryable: true, it: 'Troppe richieste. Attendi un minuto e riprova.', en: 'Too many requests. Wait a minute and try again.' },
} as const satisfies Record<string, { status: number; retryable: boolean; it: string; en: string }>;

export type SmartphoneErrorCode = keyof typeof smartphoneErrors;

export class SmartphoneError extends CodedError<SmartphoneErrorCode> {}

/** The JSON body every smartphone endpoint answers an error with. */
export function errorBody(code: SmartphoneErrorCode, language: Language): { error: SmartphoneErrorCode; error_description: string; retryable: boolean } {
  const entry = smartphoneErrors[code];
  return { error: code, error_description: entry[language], retryable: entry.retryable };
}
