/**
 * The levels a tester can ask the demo RP for (`?level=`), each sent as an RP at that level would send it.
 * The URIs are the profile's (docs/levels.md), written here and not imported from the provider's `oidc/`:
 * the demo RP is an outside relying party and knows only what the profile publishes.
 */
export const DEMO_LEVELS = {
  '1': 'https://www.spid.gov.it/SpidL1',
  '2': 'https://www.spid.gov.it/SpidL2',
  '3': 'https://www.spid.gov.it/SpidL3',
} as const;

export type DemoLevel = keyof typeof DEMO_LEVELS;

/** Level 3 (the card) when the tester names none, as the demo RP always asked before. */
export const DEFAULT_DEMO_LEVEL: DemoLevel = '3';

/**
 * The `acr_values` for `?level=`: one URI, the lowest level the RP accepts (the provider may
 * authenticate higher, docs/levels.md "acr_values: the rules", rule 2). `undefined` for anything
 * but a missing value or exactly 1, 2 or 3 (a repeated parameter included).
 */
export function acrValuesForLevel(level: string | string[] | undefined): string | undefined {
  if (level === undefined) return DEMO_LEVELS[DEFAULT_DEMO_LEVEL];
  if (typeof level !== 'string' || !Object.hasOwn(DEMO_LEVELS, level)) return undefined;
  return DEMO_LEVELS[level as DemoLevel];
}
