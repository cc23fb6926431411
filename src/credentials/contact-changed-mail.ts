import type { Language } from '../shared/language.js';

/** `m***@example.org`: enough for the citizen to recognise the new address, not the whole of it. */
export function maskedAddress(email: string): string {
  const at = email.lastIndexOf('@');
  return `${[...email.slice(0, at)][0] ?? ''}***${email.slice(at)}`;
}

/**
 * The notice mailed to the old contact address once a new one is confirmed: a real service warns the
 * old contact, so a citizen whose card was used by someone else learns of it. No link (nothing to phish).
 */
export function contactChangedMail(newEmail: string, language: Language): { subject: string; text: string } {
  const masked = maskedAddress(newEmail);
  if (language === 'en') {
    return {
      subject: 'Entra con CIE: your e-mail address has been changed',
      text: `The e-mail address of your CieID credentials has been changed to ${masked}. From now on codes and notices go there, not to this address.\n\nIf it was not you, sign in with your CIE on the provider's page "Your access" and withdraw your credentials, then report the loss of your card.\n`,
    };
  }
  return {
    subject: 'Entra con CIE: il tuo indirizzo è stato cambiato',
    text: `L'indirizzo e-mail delle tue credenziali CieID è stato cambiato in ${masked}. Da ora codici e avvisi arrivano lì, non più a questo indirizzo.\n\nSe non sei stato tu, entra con la CIE nella pagina «I tuoi accessi» e revoca le credenziali, poi denuncia lo smarrimento della carta.\n`,
  };
}
