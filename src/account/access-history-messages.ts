import type { Language } from '../shared/language.js';

/** Texts of the "history of your accesses" part of the account page (docs/registry.md). */
const it = {
  historyTitle: 'Storico dei tuoi accessi',
  historyLead: 'Ogni accesso con la CIE e ogni consenso a rilasciare i tuoi dati, per 24 mesi (DM 8 settembre 2022, art. 13).',
  historyEmpty: 'Nessun accesso registrato.',
  when: 'Quando',
  service: 'Servizio',
  event: 'Evento',
  level: 'Livello',
  released: 'Dati rilasciati',
  signInEvent: (outcome: string): string => (outcome === 'authenticated' ? 'Accesso con la CIE' : outcome === 'cancelled' ? 'Accesso annullato' : 'Accesso non riuscito'),
  consentEvent: 'Consenso al rilascio dei dati',
  managementEvent: (action: string): string => ({
    'withdraw-offline-access': 'Accesso offline revocato',
    'credentials-activated': 'Credenziali CieID attivate',
    'contact-confirmed': 'Indirizzo e-mail confermato',
    'password-changed': 'Password cambiata',
    'credentials-withdrawn': 'Credenziali CieID revocate',
    'passkey-enrolled': 'Passkey registrata',
    'passkey-withdrawn': 'Passkey rimossa',
    'contact-changed': 'Indirizzo e-mail cambiato',
    'username-changed': 'Nome utente cambiato',
    'passkey-renamed': 'Passkey rinominata',
    'app-device-default': 'Dispositivo predefinito dell’app CieID cambiato',
    'app-device-withdrawn': 'Dispositivo dell’app CieID revocato',
  } as Record<string, string>)[action] ?? 'Accesso a «I tuoi accessi»',
  levelName: (acr: string) => (/SpidL(\d)$/.exec(acr) ? `Livello ${/SpidL(\d)$/.exec(acr)![1]}` : acr),
  download: 'Scarica i tuoi accessi',
  downloadJson: 'JSON',
  downloadCsv: 'CSV',
};

type HistoryMessages = typeof it;

const en: HistoryMessages = {
  historyTitle: 'History of your access',
  historyLead: 'Every sign-in with your CIE and every consent to release your data, for 24 months (DM 8 settembre 2022, art. 13).',
  historyEmpty: 'No access recorded.',
  when: 'When',
  service: 'Service',
  event: 'Event',
  level: 'Level',
  released: 'Data released',
  signInEvent: (outcome: string) => (outcome === 'authenticated' ? 'Signed in with CIE' : outcome === 'cancelled' ? 'Sign-in cancelled' : 'Sign-in failed'),
  consentEvent: 'Consent to release data',
  managementEvent: (action: string): string => ({
    'withdraw-offline-access': 'Offline access withdrawn',
    'credentials-activated': 'CieID credentials activated',
    'contact-confirmed': 'E-mail address confirmed',
    'password-changed': 'Password changed',
    'credentials-withdrawn': 'CieID credentials withdrawn',
    'passkey-enrolled': 'Passkey registered',
    'passkey-withdrawn': 'Passkey removed',
    'contact-changed': 'E-mail address changed',
    'username-changed': 'Username changed',
    'passkey-renamed': 'Passkey renamed',
    'app-device-default': 'Default CieID app device changed',
    'app-device-withdrawn': 'CieID app device withdrawn',
  } as Record<string, string>)[action] ?? 'Signed in to «Your access»',
  levelName: (acr: string) => (/SpidL(\d)$/.exec(acr) ? `Level ${/SpidL(\d)$/.exec(acr)![1]}` : acr),
  download: 'Download your access history',
  downloadJson: 'JSON',
  downloadCsv: 'CSV',
};

export function historyMessagesFor(lang: Language): HistoryMessages {
  return lang === 'en' ? en : it;
}
