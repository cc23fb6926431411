import type { Language } from '../../shared/language.js';
import { CliError } from './cli-error.js';

/** Italian first; English with `--lang en` or a LANG such as `en_GB.UTF-8`. */
export function cliLanguage(option: string | undefined, env: Readonly<Record<string, string | undefined>>): Language {
  if (option !== undefined) {
    if (option === 'it' || option === 'en') return option;
    throw new CliError('usage', '--lang must be it or en', { problem: 'lang' });
  }
  return env.LANG?.toLowerCase().startsWith('en') ? 'en' : 'it';
}
