import type { Language } from '../../shared/language.js';

/** The words of the card's entry on a waiter's page (views/sign-in/card-choice.ejs), which the waiter spreads into its `m`. */
const it = {
  loginCieHeading: 'CIE',
  loginCieLead: 'Accedi con la tua Carta di Identità Elettronica.',
  loginHow: 'Tieni a portata di mano la CIE e il lettore di smart card. Il PIN ti sarà chiesto dal programma CIE sul tuo computer, mai da questa pagina.',
};

export type CardChoiceMessages = typeof it;

const en: CardChoiceMessages = {
  loginCieHeading: 'CIE',
  loginCieLead: 'Sign in with your Electronic Identity Card.',
  loginHow: 'Have your CIE and smart-card reader at hand. The PIN is asked by the CIE program on your computer, never by this page.',
};

export function cardChoiceMessages(language: Language): CardChoiceMessages {
  return language === 'en' ? en : it;
}
