import type { Language } from '../shared/language.js';

/** A date as the citizen reads it, in Italy's time zone whatever the server's. */
export function displayDate(epochSeconds: number, lang: Language): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'it-IT', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Rome' }).format(new Date(epochSeconds * 1000));
}
