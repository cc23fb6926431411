import { claimLabels, claimsByScope } from '../oidc/cie-claims.js';
import type { Language } from '../shared/language.js';

export interface ConsentAttribute {
  claim: string;
  label: string;
  value: string;
}

function display(value: unknown, language: Language): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'boolean') return value ? (language === 'it' ? 'sì' : 'yes') : 'no';
  if (typeof value === 'object') return Object.values(value as Record<string, unknown>).filter((v) => typeof v === 'string' || typeof v === 'number').join(', ');
  return String(value);
}

/**
 * The attributes a consent would release: the claims of the requested scopes plus the claims
 * requested one by one, limited to what this citizen actually has (missing ones are not released).
 */
export function consentAttributes(scopes: string[], requestedClaims: string[], accountClaims: Record<string, unknown>, language: Language): ConsentAttribute[] {
  const wanted = new Set<string>(requestedClaims);
  for (const scope of scopes) for (const claim of claimsByScope[scope as keyof typeof claimsByScope] ?? []) wanted.add(claim);
  wanted.delete('sub');
  return [...wanted]
    .filter((claim) => claimLabels[claim] && accountClaims[claim] !== undefined)
    .map((claim) => ({ claim, label: claimLabels[claim]![language], value: display(accountClaims[claim], language) }));
}
