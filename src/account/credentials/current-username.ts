import type { CitizenRecord } from '../../credentials/credential-store.js';
import type { Username } from '../../credentials/usernames.js';
import type { AccountCredentials } from './account-credentials.js';

/**
 * The username the citizen's password goes with, found by comparing its keyed index with the two
 * the citizen may have chosen (the store keeps only the index): the fiscal code or the contact address.
 * Undefined: no password.
 */
export async function currentUsername(credentials: AccountCredentials, citizen: CitizenRecord): Promise<Username | undefined> {
  const stored = await credentials.store.usernameIndexOf(citizen.citizenIndex);
  if (!stored) return undefined;
  const candidates: Username[] = [{ kind: 'fiscal_code', value: citizen.identity.fiscalCode }, ...(citizen.email ? [{ kind: 'email' as const, value: citizen.email }] : [])];
  return candidates.find((candidate) => credentials.store.usernameIndex(candidate) === stored);
}
