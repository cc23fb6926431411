import type { AssertionErrorCode } from './assertion-error.js';

const retryLogin = { it: 'Ricomincia l’accesso dal sito da cui sei partito.', en: 'Start the sign-in again from the site you came from.' };
const cardProblem = {
  it: 'Il certificato della CIE non è accettabile. Se il problema persiste, rivolgiti al tuo Comune.',
  en: 'The CIE certificate is not acceptable. If the problem persists, contact your municipality.',
};
const checkLater = {
  it: 'Non è possibile verificare la validità della CIE, riprova più tardi.',
  en: 'The validity of the CIE cannot be checked right now, please try again later.',
};

/** What the citizen is told for each code, Italian first. Never names the cause an attacker could tune against. */
export const assertionErrorMessages: Record<AssertionErrorCode, { it: string; en: string }> = {
  assertion_too_large: { it: `La risposta del lettore è troppo grande. ${retryLogin.it}`, en: `The card reader's answer is too large. ${retryLogin.en}` },
  malformed_assertion: {
    it: 'La risposta del programma di lettura della CIE non è valida. Aggiorna il programma e riprova.',
    en: 'The answer of the CIE reader program is not valid. Update the program and try again.',
  },
  challenge_not_found: { it: `Questa richiesta di accesso è già stata usata o non esiste. ${retryLogin.it}`, en: `This sign-in request was already used or does not exist. ${retryLogin.en}` },
  challenge_expired: { it: `La richiesta di accesso è scaduta. ${retryLogin.it}`, en: `The sign-in request has expired. ${retryLogin.en}` },
  challenge_interaction_mismatch: {
    it: `La CIE ha risposto a una richiesta di accesso diversa da questa. ${retryLogin.it}`,
    en: `The CIE answered a different sign-in request. ${retryLogin.en}`,
  },
  unsupported_format: {
    it: 'La versione del programma di lettura della CIE non è compatibile. Aggiorna il programma e riprova.',
    en: 'The version of the CIE reader program is not compatible. Update the program and try again.',
  },
  origin_mismatch: {
    it: 'La CIE ha firmato per un sito diverso da questo. Per sicurezza l’accesso è stato bloccato.',
    en: 'The CIE signed for a different site. The sign-in was blocked for your safety.',
  },
  unsupported_algorithm: {
    it: 'La CIE ha usato un algoritmo di firma non accettato. Aggiorna il programma di lettura e riprova.',
    en: 'The CIE used a signature algorithm that is not accepted. Update the reader program and try again.',
  },
  malformed_certificate: { it: 'Il certificato letto dalla CIE non è leggibile. Riprova.', en: 'The certificate read from the CIE cannot be decoded. Please try again.' },
  invalid_signature: {
    it: 'La firma della CIE non è valida. Riprova; se il problema persiste, la carta potrebbe essere danneggiata.',
    en: 'The CIE signature is not valid. Please try again; if the problem persists the card may be damaged.',
  },
  certificate_not_yet_valid: {
    it: 'Il certificato della CIE non è ancora valido. Controlla la data e l’ora del computer o riprova più tardi.',
    en: 'The CIE certificate is not valid yet. Check the date and time of your computer or try again later.',
  },
  certificate_expired: { it: 'La CIE è scaduta. Rivolgiti al tuo Comune per rinnovarla.', en: 'The CIE has expired. Contact your municipality to renew it.' },
  not_end_entity_certificate: cardProblem,
  wrong_key_usage: cardProblem,
  wrong_certificate_policy: {
    it: 'Il certificato letto non è quello di una CIE. Usa la Carta d’Identità Elettronica.',
    en: 'The certificate read is not a CIE certificate. Please use an Italian electronic identity card.',
  },
  self_signed_certificate: {
    it: 'Il certificato letto non è stato emesso dal Ministero dell’Interno. Usa una CIE autentica.',
    en: 'The certificate read was not issued by the Ministry of the Interior. Please use a genuine CIE.',
  },
  untrusted_certificate: {
    it: 'Il certificato della CIE non risulta emesso da un’autorità riconosciuta. Usa una CIE autentica.',
    en: 'The CIE certificate was not issued by a recognised authority. Please use a genuine CIE.',
  },
  certificate_revoked: {
    it: 'La CIE risulta revocata e non può essere usata per accedere. Rivolgiti al tuo Comune.',
    en: 'The CIE has been revoked and cannot be used to sign in. Contact your municipality.',
  },
  certificate_suspended: {
    it: 'La CIE risulta sospesa (per esempio dopo una denuncia di smarrimento). Rivolgiti al tuo Comune.',
    en: 'The CIE is suspended (for example after it was reported lost). Contact your municipality.',
  },
  revocation_unknown: checkLater,
  revocation_unavailable: checkLater,
  ocsp_invalid_signature: checkLater,
  ocsp_unauthorised_responder: checkLater,
  ocsp_certid_mismatch: checkLater,
  ocsp_stale: checkLater,
  ocsp_nonce_mismatch: checkLater,
  crl_invalid_signature: checkLater,
  crl_stale: checkLater,
  missing_identity: cardProblem,
  invalid_fiscal_code: {
    it: 'Il codice fiscale nel certificato della CIE non è valido. Rivolgiti al tuo Comune.',
    en: 'The fiscal code in the CIE certificate is not valid. Contact your municipality.',
  },
  internal_error: { it: 'Si è verificato un errore imprevisto. Riprova più tardi.', en: 'An unexpected error occurred. Please try again later.' },
};
