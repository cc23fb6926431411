import { ChallengeStore } from '../../src/cie/challenge-store.js';
import { interactionBinding } from '../../src/interaction/interaction-waiter.js';
import type { SignInRecord } from '../../src/interaction/login-records.js';
import { ACR } from '../../src/oidc/acr.js';
import { CompletionTickets } from '../../src/sign-in/completion-tickets.js';
import type { VerifiedCitizen } from '../../src/sign-in/verified-citizen.js';
import { CITIZEN, startProfileStack, type ProfileStack } from '../profile/support/profile-stack.js';
import { consentAndTokens, loginPage } from './support/levels-stack.js';

/**
 * Defence in depth: whatever path produced a ticket (a method's start is already gated by the level),
 * the completion step itself refuses a verified citizen below the request's level. The tickets are
 * issued here directly through the tickets API, as a faulty or future method could.
 */
const recorded: SignInRecord[] = [];
let stack: ProfileStack;
let tickets: CompletionTickets;
beforeAll(async () => {
  stack = await startProfileStack({ records: { signIn: async (record) => void recorded.push(record), consent: async () => {} } });
  tickets = new CompletionTickets(stack.store, new ChallengeStore(stack.store, 300));
}, 180_000);
afterAll(async () => stack?.close());

const citizenAt = (acr: string, amr: string[], method: string): VerifiedCitizen => ({ method, fiscalCode: CITIZEN.fiscalCode, claims: CITIZEN.claims, acr, amr });
const LEVEL_1 = citizenAt(ACR.L1, ['pwd'], 'password');
const LEVEL_2 = citizenAt(ACR.L2, ['hwk', 'user', 'mfa'], 'passkey');

/** A login page for `acrValues`, then its completion step with a ticket of `citizen` issued for that very interaction. */
async function completeWith(acrValues: string, citizen: VerifiedCitizen) {
  const login = await loginPage({ stack }, acrValues);
  const ticket = await tickets.issue(interactionBinding(login.uid), { kind: 'verified', citizen });
  const answer = await login.browser.get(`${stack.issuer}/interaction/${login.uid}/cie/complete?ticket=${ticket}`);
  return { ...login, answer };
}

test('a level-1 ticket for a level-3 interaction is refused at completion, recorded as refused, and the interaction is not finished', async () => {
  recorded.length = 0;
  const { uid, browser, answer } = await completeWith(ACR.L3, LEVEL_1);
  expect(answer.status).toBe(400);
  expect(answer.body).toContain('data-code="wrong_prompt"');
  expect(answer.body).not.toContain('/confirm"');
  expect(recorded).toEqual([expect.objectContaining({ interactionUid: uid, method: 'password', outcome: 'refused', errorCode: 'wrong_prompt', acr: ACR.L1 })]);
  // Still the login page, offering the card only.
  const again = await browser.get(`${stack.issuer}/interaction/${uid}`);
  expect(again.status).toBe(200);
  expect([...again.body.matchAll(/<form method="post" action="\/interaction\/[^/]+\/([^"]+)"/g)].map((match) => match[1])).toEqual(['cie']);
});

test('below the lowest level listed is refused: level 2 for SpidL3, level 1 for "SpidL2 SpidL3"', async () => {
  for (const [acrValues, citizen] of [[ACR.L3, LEVEL_2], [`${ACR.L2} ${ACR.L3}`, LEVEL_1]] as const) {
    const { answer } = await completeWith(acrValues, citizen);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('data-code="wrong_prompt"');
  }
});

test('a ticket that meets the request finishes it, with the acr and amr of the sign-in that happened (level 2 for "SpidL1 SpidL2")', async () => {
  const { browser, pending, answer } = await completeWith(`${ACR.L1} ${ACR.L2}`, LEVEL_2);
  expect(answer.status).toBe(200);
  expect(answer.body).toContain('/confirm"');
  const { idToken } = await consentAndTokens({ stack }, browser, answer, pending);
  expect(idToken.acr).toBe(ACR.L2);
  expect(idToken.amr).toEqual(['hwk', 'user', 'mfa']);
});
