import { randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { requireCardProof, type CardProof } from './card-proof.js';
import type { KeyValueStore } from '../storage/key-value-store.js';
import { CredentialsError } from './credentials-error.js';
import type { CitizenRecord, CredentialStore, StoredPasskey } from './credential-store.js';
import { passkeyLabel } from './passkey-label.js';

/** Where passkeys are valid: the provider's own origin (https://host[:port]) and its host as the WebAuthn RP id. */
export interface PasskeySettings {
  origin: string;
  rpId: string;
  rpName: string;
}

export const CEREMONY_TTL_SECONDS = 300;
const MAX_PASSKEYS_PER_CITIZEN = 10;
const MAX_LABEL_LENGTH = 60;

interface RegistrationCeremony {
  challenge: string;
  citizenIndex: string;
}

interface AuthenticationCeremony {
  challenge: string;
}

/**
 * Passkeys (WebAuthn, @simplewebauthn/server) bound to a CIE identity: only a citizen who has just
 * signed in with the card may add one, and it signs them in at level 2 afterwards. User verification
 * is required both times; each challenge is single-use (KeyValueStore `take`) and lives 5 minutes;
 * the origin and RP id must be ours; the signature counter must grow (a cloned authenticator is
 * refused) and is recorded atomically; a passkey whose user handle names another citizen is refused.
 */
export class Passkeys {
  constructor(
    private readonly store: CredentialStore,
    private readonly ceremonies: KeyValueStore,
    private readonly settings: PasskeySettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The user handle the authenticator keeps: derived from the citizen index, never the fiscal code. */
  static userHandle(citizenIndex: string): Uint8Array<ArrayBuffer> {
    return new Uint8Array(Buffer.from(citizenIndex, 'base64url'));
  }

  async registrationOptions(proof: CardProof): Promise<{ ceremonyId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
    const citizen = await this.#cardCitizen(proof);
    const existing = await this.store.passkeysOf(citizen.citizenIndex);
    if (existing.length >= MAX_PASSKEYS_PER_CITIZEN) throw new CredentialsError('passkey_refused', `at most ${MAX_PASSKEYS_PER_CITIZEN} passkeys per citizen`);
    const given = String(citizen.identity.claims.given_name ?? '');
    const family = String(citizen.identity.claims.family_name ?? '');
    const options = await generateRegistrationOptions({
      rpName: this.settings.rpName,
      rpID: this.settings.rpId,
      userName: citizen.identity.fiscalCode,
      userID: Passkeys.userHandle(citizen.citizenIndex),
      userDisplayName: `${given} ${family}`.trim() || citizen.identity.fiscalCode,
      timeout: CEREMONY_TTL_SECONDS * 1000,
      attestationType: 'none',
      excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    const ceremonyId = await this.#open<RegistrationCeremony>('registration', { challenge: options.challenge, citizenIndex: citizen.citizenIndex });
    return { ceremonyId, options };
  }

  /** Verifies the authenticator's answer and stores the passkey for the same citizen (the card proof is asked again). */
  async register(proof: CardProof, ceremonyId: string, response: RegistrationResponseJSON, label = ''): Promise<StoredPasskey> {
    const citizen = await this.#cardCitizen(proof);
    const ceremony = await this.#take<RegistrationCeremony>('registration', ceremonyId);
    if (ceremony.citizenIndex !== citizen.citizenIndex) throw new CredentialsError('passkey_refused', 'the ceremony was opened for another citizen');
    let verified;
    try {
      verified = await verifyRegistrationResponse({ response, expectedChallenge: ceremony.challenge, expectedOrigin: this.settings.origin, expectedRPID: this.settings.rpId, requireUserVerification: true });
    } catch (error) {
      throw new CredentialsError('passkey_refused', `registration refused: ${(error as Error).message}`, {}, { cause: error });
    }
    if (!verified.verified) throw new CredentialsError('passkey_refused', 'registration not verified');
    const info = verified.registrationInfo;
    if (await this.store.passkey(info.credential.id)) throw new CredentialsError('passkey_refused', 'this passkey is already registered');
    const passkey = {
      credentialId: info.credential.id,
      citizenIndex: citizen.citizenIndex,
      publicKey: info.credential.publicKey,
      counter: info.credential.counter,
      transports: (info.credential.transports ?? []).map(String),
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      // A rename's rules (passkey-label.ts); a name they refuse leaves the passkey unnamed (the device already made it).
      label: passkeyLabel([...label.trim()].slice(0, MAX_LABEL_LENGTH).join('')) ?? '',
    };
    try {
      await this.store.addPasskey(passkey);
    } catch (error) {
      // Two enrolments of one authenticator at once: the second meets the primary key.
      if ((error as { code?: unknown }).code === '23505') throw new CredentialsError('passkey_refused', 'this passkey is already registered', {}, { cause: error });
      throw error;
    }
    return { ...passkey, createdAt: this.now() };
  }

  /** Options for a sign-in with any of this site's passkeys (discoverable: no username typed). */
  async authenticationOptions(): Promise<{ ceremonyId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
    const options = await generateAuthenticationOptions({ rpID: this.settings.rpId, userVerification: 'required', timeout: CEREMONY_TTL_SECONDS * 1000 });
    const ceremonyId = await this.#open<AuthenticationCeremony>('authentication', { challenge: options.challenge });
    return { ceremonyId, options };
  }

  /** The citizen a passkey assertion proves, with the passkey used (its device type tells the `amr`). */
  async authenticate(ceremonyId: string, response: AuthenticationResponseJSON): Promise<{ citizen: CitizenRecord; passkey: StoredPasskey }> {
    const ceremony = await this.#take<AuthenticationCeremony>('authentication', ceremonyId);
    const passkey = typeof response?.id === 'string' && response.id.length <= 1024 ? await this.store.passkey(response.id) : undefined;
    if (!passkey) throw new CredentialsError('passkey_refused', 'unknown passkey');
    const handle = response.response?.userHandle;
    if (handle !== undefined && handle !== Buffer.from(Passkeys.userHandle(passkey.citizenIndex)).toString('base64url')) {
      throw new CredentialsError('passkey_refused', 'the passkey names another citizen');
    }
    let verified;
    try {
      verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge: ceremony.challenge,
        expectedOrigin: this.settings.origin,
        expectedRPID: this.settings.rpId,
        credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: passkey.counter, transports: passkey.transports as never },
        requireUserVerification: true,
      });
    } catch (error) {
      throw new CredentialsError('passkey_refused', `assertion refused: ${(error as Error).message}`, {}, { cause: error });
    }
    if (!verified.verified || !verified.authenticationInfo.userVerified) throw new CredentialsError('passkey_refused', 'assertion not verified');
    const at = this.now();
    if (!(await this.store.recordPasskeyUse(passkey.credentialId, passkey.counter, verified.authenticationInfo.newCounter, at))) {
      throw new CredentialsError('passkey_refused', 'the passkey was used concurrently');
    }
    const citizen = await this.store.citizenByIndex(passkey.citizenIndex);
    if (!citizen) throw new CredentialsError('passkey_refused', 'the passkey has no citizen');
    return { citizen, passkey: { ...passkey, counter: verified.authenticationInfo.newCounter, lastUsedAt: at } };
  }

  async #cardCitizen(proof: CardProof): Promise<CitizenRecord> {
    requireCardProof(proof);
    const citizen = await this.store.citizen(proof.fiscalCode);
    if (!citizen) throw new CredentialsError('no_identity', 'no credentials record for this citizen (a level-3 sign-in creates it)');
    return citizen;
  }

  async #open<T extends object>(kind: string, ceremony: T): Promise<string> {
    const ceremonyId = randomBytes(24).toString('base64url');
    await this.ceremonies.putIfAbsent(`passkey-${kind}:${ceremonyId}`, ceremony, CEREMONY_TTL_SECONDS);
    return ceremonyId;
  }

  async #take<T extends object>(kind: string, ceremonyId: string): Promise<T> {
    const ceremony = /^[A-Za-z0-9_-]{32}$/.test(ceremonyId) ? await this.ceremonies.take<T>(`passkey-${kind}:${ceremonyId}`) : undefined;
    if (!ceremony) throw new CredentialsError('passkey_ceremony_expired', 'unknown, used or expired passkey ceremony');
    return ceremony;
  }
}
