import type { CredentialsRoom } from '../../credentials/credentials-room.js';
import type { KeyValueStore } from '../../storage/key-value-store.js';
import type { CompletionTickets } from '../completion-tickets.js';
import type { SignInWaiters } from '../sign-in-binding.js';

/** What the passkey room needs, given once by the composition (provider-app.ts). */
export interface PasskeySignInDeps {
  credentials: Pick<CredentialsRoom, 'passkeys' | 'limits'>;
  ceremonies: KeyValueStore;
  tickets: CompletionTickets;
  waiters: SignInWaiters;
}

/** This browser's passkey ceremony: the WebAuthn challenge's own ceremony (credentials/passkeys.ts) and the options the page hands the authenticator. */
export interface PasskeyCeremony {
  webauthnCeremonyId: string;
  options: object;
}

export const PASSKEY_METHOD = 'passkey';
export const PASSKEY_PATH_NAME = 'passkey';

