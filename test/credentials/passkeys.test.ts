import { passkeyOutcome } from '../../src/credentials/level-outcomes.js';
import { Passkeys } from '../../src/credentials/passkeys.js';
import { ACR } from '../../src/oidc/acr.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import { CITIZEN, OTHER_CITIZEN, useCredentialsBackend } from './support/credentials-backends.js';
import { credentialsWorld } from './support/credentials-world.js';
import { SoftwareAuthenticator } from './support/software-authenticator.js';

const SETTINGS = { origin: 'https://login.example.it', rpId: 'login.example.it', rpName: 'Entra con CIE' };
const HERE = { origin: SETTINGS.origin, rpId: SETTINGS.rpId };

describe('passkeys bound to a CIE identity', () => {
  const backend = useCredentialsBackend('pglite');

  const setUp = async () => {
    const world = credentialsWorld(backend);
    await world.store.saveIdentity(CITIZEN);
    await world.store.saveIdentity(OTHER_CITIZEN);
    const passkeys = new Passkeys(world.store, new MemoryStateStore(), SETTINGS);
    const card = { fiscalCode: CITIZEN.fiscalCode, acr: ACR.L3 };
    const enrol = async (authenticator = new SoftwareAuthenticator(), proof = card) => {
      const { ceremonyId, options } = await passkeys.registrationOptions(proof);
      return { authenticator, stored: await passkeys.register(proof, ceremonyId, authenticator.create(options, HERE), 'telefono') };
    };
    const signIn = async (authenticator: SoftwareAuthenticator, at: Parameters<SoftwareAuthenticator['get']>[1] = HERE) => {
      const { ceremonyId, options } = await passkeys.authenticationOptions();
      return { result: () => passkeys.authenticate(ceremonyId, authenticator.get(options.challenge, at)) };
    };
    return { world, passkeys, card, enrol, signIn };
  };

  test('enrolled after a card sign-in, the passkey signs the citizen in at level 2; options require user verification', async () => {
    const { passkeys, card, enrol, signIn } = await setUp();
    const { options } = await passkeys.registrationOptions(card);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(options.user.name).toBe(CITIZEN.fiscalCode);
    expect(options.user.displayName).toBe('Mario Rossi');
    const { authenticator, stored } = await enrol();
    expect(stored).toMatchObject({ label: 'telefono', deviceType: 'singleDevice', counter: 0 });
    const attempt = await signIn(authenticator);
    const { citizen, passkey } = await attempt.result();
    expect(citizen.identity).toEqual(CITIZEN);
    expect(passkey.counter).toBe(1);
    expect(passkeyOutcome(passkey.deviceType)).toEqual({ acr: ACR.L2, amr: ['hwk', 'user', 'mfa'] });
    const again = await (await passkeys.authenticationOptions()).options;
    expect(again.userVerification).toBe('required');
  });

  test('no passkey without a level-3 sign-in; a ceremony opened for one citizen cannot enrol another', async () => {
    const { passkeys, card, enrol } = await setUp();
    await expect(passkeys.registrationOptions({ ...card, acr: ACR.L2 })).rejects.toMatchObject({ code: 'card_sign_in_required' });
    const { ceremonyId, options } = await passkeys.registrationOptions(card);
    await expect(passkeys.register({ fiscalCode: OTHER_CITIZEN.fiscalCode, acr: ACR.L3 }, ceremonyId, new SoftwareAuthenticator().create(options, HERE))).rejects.toMatchObject({ code: 'passkey_refused' });
    await expect(enrol(new SoftwareAuthenticator(), { fiscalCode: 'XXXXXX00X00X000X', acr: ACR.L3 })).rejects.toMatchObject({ code: 'no_identity' });
  });

  test('registration: user verification required, our origin and RP id only, the challenge single-use', async () => {
    const { passkeys, card } = await setUp();
    for (const at of [{ ...HERE, userVerified: false }, { ...HERE, origin: 'https://evil.example' }, { ...HERE, rpId: 'evil.example' }]) {
      const { ceremonyId, options } = await passkeys.registrationOptions(card);
      await expect(passkeys.register(card, ceremonyId, new SoftwareAuthenticator().create(options, at))).rejects.toMatchObject({ code: 'passkey_refused' });
    }
    const { ceremonyId, options } = await passkeys.registrationOptions(card);
    const response = new SoftwareAuthenticator().create(options, HERE);
    await passkeys.register(card, ceremonyId, response);
    await expect(passkeys.register(card, ceremonyId, response)).rejects.toMatchObject({ code: 'passkey_ceremony_expired' });
  });

  test('the same authenticator cannot be enrolled twice, nor by another citizen', async () => {
    const { passkeys, enrol } = await setUp();
    const { authenticator } = await enrol();
    const other = { fiscalCode: OTHER_CITIZEN.fiscalCode, acr: ACR.L3 };
    const { ceremonyId, options } = await passkeys.registrationOptions(other);
    await expect(passkeys.register(other, ceremonyId, authenticator.create(options, HERE))).rejects.toMatchObject({ code: 'passkey_refused' });
  });

  test('sign-in: a replayed assertion, a non-growing counter, no user verification, another origin or RP id are refused', async () => {
    const { passkeys, enrol } = await setUp();
    const { authenticator } = await enrol();
    const first = await passkeys.authenticationOptions();
    const assertion = authenticator.get(first.options.challenge, HERE);
    await passkeys.authenticate(first.ceremonyId, assertion);
    await expect(passkeys.authenticate(first.ceremonyId, assertion)).rejects.toMatchObject({ code: 'passkey_ceremony_expired' });
    const second = await passkeys.authenticationOptions();
    await expect(passkeys.authenticate(second.ceremonyId, assertion)).rejects.toMatchObject({ code: 'passkey_refused' });
    for (const at of [{ ...HERE, keepCounter: true }, { ...HERE, userVerified: false }, { ...HERE, origin: 'https://evil.example' }, { ...HERE, rpId: 'evil.example' }]) {
      const { ceremonyId, options } = await passkeys.authenticationOptions();
      await expect(passkeys.authenticate(ceremonyId, authenticator.get(options.challenge, at))).rejects.toMatchObject({ code: 'passkey_refused' });
    }
  });

  test('a passkey whose user handle names another citizen, or an unknown passkey, is refused', async () => {
    const { world, passkeys, enrol } = await setUp();
    const { authenticator } = await enrol();
    const otherHandle = Buffer.from(Passkeys.userHandle(world.store.citizenIndex(OTHER_CITIZEN.fiscalCode))).toString('base64url');
    const { ceremonyId, options } = await passkeys.authenticationOptions();
    await expect(passkeys.authenticate(ceremonyId, authenticator.get(options.challenge, { ...HERE, userHandle: otherHandle }))).rejects.toMatchObject({ code: 'passkey_refused' });
    const stranger = await passkeys.authenticationOptions();
    await expect(passkeys.authenticate(stranger.ceremonyId, new SoftwareAuthenticator().get(stranger.options.challenge, HERE))).rejects.toMatchObject({ code: 'passkey_refused' });
  });

  test('a withdrawn passkey no longer signs in', async () => {
    const { world, passkeys, enrol } = await setUp();
    const { authenticator } = await enrol();
    expect(await world.store.removePasskey(world.store.citizenIndex(CITIZEN.fiscalCode), authenticator.id)).toBe(true);
    const { ceremonyId, options } = await passkeys.authenticationOptions();
    await expect(passkeys.authenticate(ceremonyId, authenticator.get(options.challenge, HERE))).rejects.toMatchObject({ code: 'passkey_refused' });
  });
});
