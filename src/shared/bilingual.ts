import type { Language } from './language.js';

/** One text in both languages, side by side, so a translation cannot drift from its original's place. */
export interface Bilingual {
  it: string;
  en: string;
}

/** A table of bilingual texts, read in one language. */
export function wordsIn<K extends string>(texts: Record<K, Bilingual>, language: Language): Record<K, string> {
  return Object.fromEntries(Object.entries<Bilingual>(texts).map(([key, text]) => [key, text[language]])) as Record<K, string>;
}
