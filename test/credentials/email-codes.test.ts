import { EmailCodes } from '../../src/credentials/email-codes.js';
import { CITIZEN, useCredentialsBackend } from './support/credentials-backends.js';
import { credentialsWorld } from './support/credentials-world.js';

describe('e-mail one-time codes', () => {
  const backend = useCredentialsBackend('pglite');

  const secondFactorSetUp = async (options: Parameters<typeof credentialsWorld>[1] = {}) => {
    const world = credentialsWorld(backend, options);
    await world.activated();
    const citizen = (await world.store.citizen(CITIZEN.fiscalCode))!;
    return { world, citizen };
  };

  test('a 6-digit code, mailed in the citizen\'s language, stored only as an HMAC, single use', async () => {
    const { world, citizen } = await secondFactorSetUp();
    const codeId = await world.codes.send(citizen, 'second_factor', 'en');
    const mail = world.outbox.list('mario.rossi@example.it')[0]!;
    expect(mail.subject).toMatch(/^Entra con CIE: your code \d{6}$/);
    expect(mail.text).toContain('valid for 10 minutes');
    const code = world.lastCode('mario.rossi@example.it');
    expect(JSON.stringify(await backend.db.query('SELECT * FROM credential_email_codes'))).not.toContain(code);
    await world.codes.check(citizen.citizenIndex, codeId, ` ${code.slice(0, 3)} ${code.slice(3)} `, 'second_factor');
    await expect(world.codes.check(citizen.citizenIndex, codeId, code, 'second_factor')).rejects.toMatchObject({ code: 'code_invalid' });
  });

  test('a code serves only its citizen and its purpose', async () => {
    const { world, citizen } = await secondFactorSetUp();
    const codeId = await world.codes.send(citizen, 'second_factor', 'it');
    const code = world.lastCode('mario.rossi@example.it');
    await expect(world.codes.check(world.store.citizenIndex('BNCLRA90A41F205X'), codeId, code, 'second_factor')).rejects.toMatchObject({ code: 'code_invalid' });
    await expect(world.codes.check(citizen.citizenIndex, codeId, code, 'confirm_contact')).rejects.toMatchObject({ code: 'code_invalid' });
    await world.codes.check(citizen.citizenIndex, codeId, code, 'second_factor');
  });

  test('expires after 10 minutes', async () => {
    const { world, citizen } = await secondFactorSetUp();
    const codeId = await world.codes.send(citizen, 'second_factor', 'it');
    world.clock.now += 600_000;
    await expect(world.codes.check(citizen.citizenIndex, codeId, world.lastCode('mario.rossi@example.it'), 'second_factor')).rejects.toMatchObject({ code: 'code_expired' });
  });

  test('5 wrong tries spend the code: the right one no longer works', async () => {
    const { world, citizen } = await secondFactorSetUp();
    const codeId = await world.codes.send(citizen, 'second_factor', 'it');
    const code = world.lastCode('mario.rossi@example.it');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 0; left--) await expect(world.codes.check(citizen.citizenIndex, codeId, wrong, 'second_factor')).rejects.toMatchObject({ code: 'code_invalid', details: { attemptsLeft: left } });
    await expect(world.codes.check(citizen.citizenIndex, codeId, code, 'second_factor')).rejects.toMatchObject({ code: 'code_invalid' });
  });

  test('only the newest code counts', async () => {
    const { world, citizen } = await secondFactorSetUp();
    const first = await world.codes.send(citizen, 'second_factor', 'it');
    const firstCode = world.lastCode('mario.rossi@example.it');
    const second = await world.codes.send(citizen, 'second_factor', 'it');
    await expect(world.codes.check(citizen.citizenIndex, first, firstCode, 'second_factor')).rejects.toMatchObject({ code: 'code_invalid' });
    await world.codes.check(citizen.citizenIndex, second, world.lastCode('mario.rossi@example.it'), 'second_factor');
  });

  test('the operator may turn the e-mail second factor off; an unconfirmed address never is one', async () => {
    const { world, citizen } = await secondFactorSetUp({ codes: { secondFactorEnabled: false } });
    await expect(world.codes.send(citizen, 'second_factor', 'it')).rejects.toMatchObject({ code: 'code_invalid' });
    const enabled = new EmailCodes(world.store, world.keys, world.outbox);
    await world.store.setEmail(citizen.citizenIndex, 'new@example.it');
    const unconfirmed = (await world.store.citizen(CITIZEN.fiscalCode))!;
    await expect(enabled.send(unconfirmed, 'second_factor', 'it')).rejects.toMatchObject({ code: 'code_invalid' });
    expect(await enabled.send(unconfirmed, 'confirm_contact', 'it')).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
