import type { Language } from '../shared/language.js';
import { pageFrameMessages } from '../shared/page-frame-messages.js';
import { cardChoiceMessages } from '../sign-in/card/card-choice-messages.js';

const it = {
  accountTitle: 'I tuoi accessi',
  signInLead: 'Qui vedi quali servizi possono ottenere i tuoi dati anche quando non sei collegato (accesso offline) e puoi revocare questo accesso. Per entrare, identificati con la CIE.',
  listLead: 'Questi servizi possono ottenere i tuoi dati anche quando non sei collegato. Puoi revocare l’accesso in qualsiasi momento: il servizio dovrà chiederti di nuovo di entrare con la CIE.',
  signedInAs: (fiscalCode: string) => `Identificato con la CIE: codice fiscale ${fiscalCode}.`,
  sessionLimit: 'Per sicurezza questa pagina resta aperta al massimo 10 minuti.',
  noAccess: 'Nessun servizio ha un accesso offline ai tuoi dati.',
  grantedOn: (date: string) => `Autorizzato il ${date}`,
  attributes: 'Dati',
  anonymousOnly: 'Solo un identificativo anonimo',
  withdraw: 'Revoca',
  withdrawLabel: (rp: string) => `Revoca l’accesso offline di «${rp}»`,
  withdrawn: 'Accesso offline revocato: il servizio non può più ottenere i tuoi dati senza un nuovo accesso con la CIE.',
  signOut: 'Esci da questa pagina',
  signedOut: 'Sei uscito dalla pagina dei tuoi accessi.',
};

type AccountMessages = typeof it;

const en: AccountMessages = {
  accountTitle: 'Your access',
  signInLead: 'Here you see which services may obtain your data while you are not signed in (offline access), and you can withdraw that access. To enter, identify yourself with your CIE.',
  listLead: 'These services may obtain your data while you are not signed in. You can withdraw that access at any time: the service will have to ask you to sign in with your CIE again.',
  signedInAs: (fiscalCode) => `Identified with your CIE: fiscal code ${fiscalCode}.`,
  sessionLimit: 'For your safety this page stays open for at most 10 minutes.',
  noAccess: 'No service has offline access to your data.',
  grantedOn: (date) => `Allowed on ${date}`,
  attributes: 'Data',
  anonymousOnly: 'Only an anonymous identifier',
  withdraw: 'Withdraw',
  withdrawLabel: (rp) => `Withdraw the offline access of “${rp}”`,
  withdrawn: 'Offline access withdrawn: the service can no longer obtain your data without a new sign-in with your CIE.',
  signOut: 'Sign out of this page',
  signedOut: 'You have signed out of this page.',
};

/** The account page's texts with the page frame's (header, footer) and the card's entry, Italian first. */
export function accountMessagesFor(language: Language) {
  return { ...pageFrameMessages(language), ...cardChoiceMessages(language), ...(language === 'en' ? en : it) };
}

export type { AccountMessages };
