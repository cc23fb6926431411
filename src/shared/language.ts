export type Language = 'it' | 'en';

/**
 * Italian first: English only when asked for explicitly (`?lang=en`, the `lang` cookie, the OIDC
 * `ui_locales`) or when the browser prefers English over Italian.
 */
export function chooseLanguage(input: { query?: string | undefined; cookie?: string | undefined; uiLocales?: string | undefined; acceptLanguage?: string | undefined }): Language {
  for (const explicit of [input.query, input.cookie]) {
    if (explicit === 'it' || explicit === 'en') return explicit;
  }
  const preferences = [
    ...(input.uiLocales?.split(' ') ?? []),
    ...(input.acceptLanguage?.split(',').map((part) => part.split(';')[0]!.trim()) ?? []),
  ];
  for (const tag of preferences) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'it') return 'it';
    if (primary === 'en') return 'en';
  }
  return 'it';
}
