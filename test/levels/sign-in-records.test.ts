import type { SignInRecord } from '../../src/interaction/login-records.js';
import { ACR } from '../../src/oidc/acr.js';
import { EMAIL, loginPage, PASSWORD, useActivatedLevelsStack } from './support/levels-stack.js';

const recorded: SignInRecord[] = [];
const levels = useActivatedLevelsStack({ records: { signIn: async (record) => void recorded.push(record), consent: async () => {} } });

test('the access registry gets each credentials sign-in with its method and level; a refused passkey as refused, named', async () => {
  const origin = levels.stack.issuer;
  const password = await loginPage(levels, ACR.L1);
  const page = await password.browser.post(`${origin}/interaction/${password.uid}/password`, {}, origin);
  await password.browser.post(page.url, { username: EMAIL, password: PASSWORD }, origin);
  const passkey = await loginPage(levels, ACR.L2);
  const ceremony = await passkey.browser.post(`${origin}/interaction/${passkey.uid}/passkey`, {}, origin);
  await passkey.browser.post(ceremony.url, { response: '' }, origin);
  expect(recorded.map(({ method, outcome, acr, amr, errorCode, interactionUid }) => ({ method, outcome, acr, amr, errorCode, interactionUid }))).toEqual([
    { method: 'password', outcome: 'authenticated', acr: ACR.L1, amr: ['pwd'], errorCode: undefined, interactionUid: password.uid },
    { method: 'passkey', outcome: 'refused', acr: undefined, amr: undefined, errorCode: 'passkey_refused', interactionUid: passkey.uid },
  ]);
  expect(recorded[0]!.attributes).toMatchObject({ given_name: 'Mario' });
});
