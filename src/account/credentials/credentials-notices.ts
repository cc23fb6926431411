import type { Language } from '../../shared/language.js';
import type { Notice } from '../account-notices.js';

/**
 * Why a credentials change did not happen, in the account page's words. These codes are the
 * credentials room's (CredentialsErrorCode) and the page's own; the sign-in pages word their codes
 * in the error table (shared/errors/error-table.ts).
 */
const words: Record<string, { it: string; en: string; status: number }> = {
  card_sign_in_required: { status: 403, it: 'Per attivare, cambiare o revocare le credenziali devi essere entrato con la CIE da meno di 10 minuti. Esci e identificati di nuovo con la CIE.', en: 'To activate, change or withdraw credentials you must have signed in with your CIE less than 10 minutes ago. Sign out and identify yourself again with your CIE.' },
  password_policy: { status: 400, it: 'La password non rispetta le regole indicate.', en: 'The password does not meet the rules shown.' },
  password_breached: { status: 400, it: 'Questa password compare negli elenchi di password rubate in violazioni di dati, le prime che chi attacca prova: scegline un’altra, che non usi altrove.', en: 'This password appears in the lists of passwords stolen in data breaches, the first ones attackers try: choose another one, which you do not use elsewhere.' },
  passwords_differ: { status: 400, it: 'Le due password non coincidono.', en: 'The two passwords differ.' },
  username_taken: { status: 409, it: 'Questo nome utente non è disponibile. Scegli l’altro. Se lo tiene solo un’attivazione mai confermata, si libera entro 10 minuti: puoi riprovare allora.', en: 'This username is not available. Choose the other one. If only an activation never confirmed holds it, it frees up within 10 minutes: you can try again then.' },
  invalid_email: { status: 400, it: 'L’indirizzo e-mail non è valido.', en: 'The e-mail address is not valid.' },
  code_invalid: { status: 400, it: 'Codice errato o non più valido. Controlla l’ultimo messaggio ricevuto, o chiedi un nuovo codice.', en: 'Wrong or no longer valid code. Check the latest message you received, or ask for a new code.' },
  code_expired: { status: 400, it: 'Il codice è scaduto. Chiedi un nuovo codice.', en: 'The code has expired. Ask for a new code.' },
  code_attempts_exhausted: { status: 400, it: 'Troppi codici errati: questo codice non vale più. Chiedi un nuovo codice.', en: 'Too many wrong codes: this code is no longer valid. Ask for a new code.' },
  no_identity: { status: 409, it: 'Non hai credenziali attive.', en: 'You have no active credentials.' },
  no_pending_code: { status: 400, it: 'Nessun codice in attesa: chiedi un nuovo codice.', en: 'No code is pending: ask for a new code.' },
  mail_unavailable: { status: 503, it: 'Non è stato possibile inviare l’e-mail. Riprova tra qualche minuto.', en: 'The e-mail could not be sent. Try again in a few minutes.' },
  too_many_mails: { status: 429, it: 'Ti abbiamo già inviato molti codici. Attendi qualche minuto prima di chiederne un altro.', en: 'We have already sent you many codes. Wait a few minutes before asking for another.' },
  too_many_ceremonies: { status: 429, it: 'Troppe richieste di passkey dalla tua rete. Attendi qualche minuto e riprova.', en: 'Too many passkey requests from your network. Wait a few minutes and try again.' },
  passkey_refused: { status: 400, it: 'La passkey non è stata accettata (già registrata, annullata sul dispositivo o non verificata). Riprova.', en: 'The passkey was not accepted (already registered, cancelled on the device, or not verified). Try again.' },
  passkey_ceremony_expired: { status: 400, it: 'La richiesta di creare la passkey è scaduta o è già stata usata. Riprova.', en: 'The request to create the passkey has expired or was already used. Try again.' },
  contact_unchanged: { status: 400, it: 'È già il tuo indirizzo e-mail. Scrivi il nuovo indirizzo.', en: 'This is already your e-mail address. Type the new address.' },
  contact_username_taken: { status: 409, it: 'Il tuo nome utente è l’indirizzo e-mail, e questo indirizzo è già il nome utente di un’altra persona: non può diventare il tuo. Scegli prima il codice fiscale come nome utente, poi cambia l’indirizzo. Se lo tiene solo un’attivazione mai confermata, si libera entro 10 minuti.', en: 'Your username is your e-mail address, and this address is already someone else’s username: it cannot become yours. First choose your fiscal code as username, then change the address. If only an activation never confirmed holds it, it frees up within 10 minutes.' },
  username_email_taken: { status: 409, it: 'Il tuo indirizzo e-mail è già il nome utente di un’altra persona: non può essere anche il tuo. Il tuo nome utente resta il codice fiscale. Se lo tiene solo un’attivazione mai confermata, si libera entro 10 minuti.', en: 'Your e-mail address is already someone else’s username: it cannot be yours too. Your username stays your fiscal code. If only an activation never confirmed holds it, it frees up within 10 minutes.' },
  username_contact_moved: { status: 409, it: 'Il tuo indirizzo e-mail è appena cambiato. Controlla la pagina e scegli di nuovo il nome utente.', en: 'Your e-mail address has just changed. Check the page and choose your username again.' },
  username_unchanged: { status: 400, it: 'È già il tuo nome utente.', en: 'This is already your username.' },
  passkey_label_invalid: { status: 400, it: 'Il nome della passkey deve avere da 1 a 64 caratteri visibili.', en: 'The passkey’s name must have 1 to 64 visible characters.' },
  app_device_unknown: { status: 404, it: 'Questo dispositivo non è tra i tuoi dispositivi certificati.', en: 'This device is not one of your certified devices.' },
  passkey_unknown: { status: 404, it: 'Questa passkey non è tra le tue.', en: 'This passkey is not one of yours.' },
};

export function credentialsNotice(code: string, lang: Language): Notice {
  const entry = words[code] ?? { it: 'Si è verificato un errore. Riprova più tardi.', en: 'Something went wrong. Please try again later.' };
  return { kind: 'error', code, text: entry[lang] };
}

/** The HTTP status the page carries with the notice (the error's, not 200). */
export function credentialsNoticeStatus(code: string): number {
  return words[code]?.status ?? 500;
}
