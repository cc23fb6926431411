import { requireCardProof, type CardProof } from './card-proof.js';
import type { CredentialStore } from './credential-store.js';
import { passkeyLabel } from './passkey-label.js';

/** Renames one of the citizen's own passkeys, behind a card sign-in: `renamed`, a name not acceptable, or not one of theirs. */
export async function renamePasskey(store: Pick<CredentialStore, 'citizenIndex' | 'renamePasskey'>, proof: CardProof, credentialId: string, input: string): Promise<'renamed' | 'invalid_label' | 'unknown'> {
  requireCardProof(proof);
  const label = passkeyLabel(input);
  if (!label) return 'invalid_label';
  return (await store.renamePasskey(store.citizenIndex(proof.fiscalCode), credentialId, label)) ? 'renamed' : 'unknown';
}
