import type { Language } from '../shared/language.js';
import type { CodePurpose } from './credential-store.js';

/** The mail that carries a one-time code, in the citizen's language. Never a link: a code cannot be phished by a look-alike URL. */
export function codeMail(purpose: CodePurpose, code: string, minutes: number, language: Language): { subject: string; text: string } {
  if (language === 'en') {
    const what = purpose === 'confirm_contact' ? 'to confirm this e-mail address for your CieID credentials' : 'to sign in with your CieID credentials';
    return {
      subject: `Entra con CIE: your code ${code}`,
      text: `Your one-time code ${what} is:\n\n    ${code}\n\nIt is valid for ${minutes} minutes. If you did not ask for it, ignore this message and do not give the code to anyone: the Ministry never asks for it.\n`,
    };
  }
  const what = purpose === 'confirm_contact' ? 'per confermare questo indirizzo e-mail per le tue credenziali CieID' : 'per accedere con le tue credenziali CieID';
  return {
    subject: `Entra con CIE: il tuo codice ${code}`,
    text: `Il tuo codice monouso ${what} è:\n\n    ${code}\n\nÈ valido per ${minutes} minuti. Se non l'hai chiesto tu, ignora questo messaggio e non comunicare il codice a nessuno: il Ministero non lo chiede mai.\n`,
  };
}
