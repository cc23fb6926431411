import type { Bilingual } from '../shared/bilingual.js';
import type { Language } from '../shared/language.js';

export const HELP_PAGE_NAMES = ['lost-codes', 'legal-notes', 'privacy', 'accessibility', 'contacts'] as const;
export type HelpPageName = (typeof HELP_PAGE_NAMES)[number];

/** One section of a help page: a heading, then paragraphs, numbered steps or a bullet list (plain text, escaped by the view). */
export interface HelpSectionText {
  id: string;
  heading: Bilingual;
  paragraphs?: Bilingual[];
  steps?: Bilingual[];
  items?: Bilingual[];
  /** Show the help desk (name, telephone, e-mail) from the site settings after the text. */
  helpDesk?: boolean;
}

/** A help page's text; `{operator}` stands for the operator's name (site settings). */
export interface HelpPageText {
  title: Bilingual;
  lead: Bilingual;
  sections: HelpSectionText[];
}

/** A help page in one language, as views/help.ejs draws it. */
export interface HelpPage {
  title: string;
  lead: string;
  sections: {
    id: string;
    heading: string;
    paragraphs?: string[];
    steps?: string[];
    items?: string[];
    helpDesk?: boolean;
  }[];
}

/** The page in one language, with the operator's name in place of `{operator}`. */
export function inLanguage(text: HelpPageText, language: Language, operatorName: string): HelpPage {
  const say = (words: Bilingual) => words[language].replaceAll('{operator}', () => operatorName);
  const list = (texts: Bilingual[] | undefined) => texts?.map(say);
  return {
    title: say(text.title),
    lead: say(text.lead),
    sections: text.sections.map(({ id, heading, paragraphs, steps, items, helpDesk }) => ({
      id,
      heading: say(heading),
      ...(paragraphs ? { paragraphs: list(paragraphs) } : {}),
      ...(items ? { items: list(items) } : {}),
      ...(steps ? { steps: list(steps) } : {}),
      ...(helpDesk ? { helpDesk } : {}),
    })),
  };
}
