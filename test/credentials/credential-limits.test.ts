import { CredentialLimits } from '../../src/credentials/credential-limits.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';

describe('credential limits per network and per citizen', () => {
  test('password attempts per network: the 31st in a window is refused with its wait; another network is not affected', async () => {
    const clock = { now: 6_000_000 };
    const limits = new CredentialLimits(new MemoryStateStore(() => clock.now), undefined, () => clock.now);
    for (let i = 0; i < 30; i++) expect((await limits.passwordAttempt('203.0.113.7')).allowed).toBe(true);
    expect(await limits.passwordAttempt('203.0.113.7')).toMatchObject({ allowed: false, retryAfterSeconds: 600 });
    expect((await limits.passwordAttempt('2001:db8:1:2::/64')).allowed).toBe(true);
    clock.now += 600_000;
    expect((await limits.passwordAttempt('203.0.113.7')).allowed).toBe(true);
  });

  test('code mails per citizen: at most 5 in a window', async () => {
    const limits = new CredentialLimits(new MemoryStateStore());
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push((await limits.codeMail('citizen-index')).allowed);
    expect(verdicts).toEqual([true, true, true, true, true, false]);
  });

  test('a limit set to 0 is off', async () => {
    const limits = new CredentialLimits(new MemoryStateStore(), { passwordAttemptsPerNetwork: 0, codeMailsPerCitizen: 0, passkeyCeremoniesPerNetwork: 0, windowSeconds: 60 });
    for (let i = 0; i < 100; i++) expect((await limits.passkeyCeremony('198.51.100.1')).allowed).toBe(true);
  });
});
