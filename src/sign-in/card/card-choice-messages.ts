import { wordsIn, type Bilingual } from '../../shared/bilingual.js';
import type { Language } from '../../shared/language.js';

/** The words of the card's entry on a waiter's page (views/sign-in/card-choice.ejs), which the waiter spreads into its `m`. */
const cardChoice = {
  loginCieHeading: { it: 'CIE', en: 'CIE' },
  loginCieLead: { it: 'Accedi con la tua Carta di Identità Elettronica.', en: 'Sign in with your Electronic Identity Card.' },
  loginHow: {
    it: 'Tieni a portata di mano la CIE e il lettore di smart card. Il PIN ti sarà chiesto dal programma CIE sul tuo computer, mai da questa pagina.',
    en: 'Have your CIE and smart-card reader at hand. The PIN is asked by the CIE program on your computer, never by this page.',
  },
} satisfies Record<string, Bilingual>;

export type CardChoiceMessages = Record<keyof typeof cardChoice, string>;

const byLanguage: Record<Language, CardChoiceMessages> = { it: wordsIn(cardChoice, 'it'), en: wordsIn(cardChoice, 'en') };

export function cardChoiceMessages(language: Language): CardChoiceMessages {
  return byLanguage[language];
}
