import type { CardProof } from '../../src/credentials/card-proof.js';
import { PASSWORD_AND_EMAIL_CODE, PASSWORD_ONLY, passkeyOutcome } from '../../src/credentials/level-outcomes.js';
import { ACR } from '../../src/oidc/acr.js';
import type { VerifiedCitizen } from '../../src/sign-in/verified-citizen.js';
import { useCredentialsBackend } from './support/credentials-backends.js';
import { credentialsWorld } from './support/credentials-world.js';

describe('level outcomes and the level-2 flow by password and e-mail code', () => {
  const backend = useCredentialsBackend('pglite');

  test('what each way proves: password L1 (pwd); password + code L2 (pwd otp mfa); passkey L2 (hwk or swk, user, mfa)', () => {
    expect(PASSWORD_ONLY).toEqual({ acr: ACR.L1, amr: ['pwd'] });
    expect(PASSWORD_AND_EMAIL_CODE).toEqual({ acr: ACR.L2, amr: ['pwd', 'otp', 'mfa'] });
    expect(passkeyOutcome('multiDevice')).toEqual({ acr: ACR.L2, amr: ['swk', 'user', 'mfa'] });
  });

  test('a card sign-in\'s VerifiedCitizen is the proof credentials ask for', () => {
    const verified: VerifiedCitizen = { method: 'cie-card', fiscalCode: 'RSSMRA85T10A562S', claims: {}, acr: ACR.L3, amr: ['sc', 'pin', 'mfa'] };
    const proof: CardProof = verified;
    expect(proof.acr).toBe(ACR.L3);
  });

  test('password, then the code mailed to the confirmed contact: level 2', async () => {
    const world = credentialsWorld(backend);
    await world.activated();
    const first = await world.signIn.attempt('mario.rossi@example.it', 'Girasole2024x');
    if (!first.ok) throw new Error('password refused');
    const codeId = await world.codes.send(first.citizen, 'second_factor', 'it');
    expect(world.outbox.list('mario.rossi@example.it')[0]!.text).toContain('per accedere con le tue credenziali CieID');
    await world.codes.check(first.citizen.citizenIndex, codeId, world.lastCode('mario.rossi@example.it'), 'second_factor');
  });
});
