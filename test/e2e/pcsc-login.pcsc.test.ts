import { ACR } from '../../src/oidc/acr.js';
import { openCardFile } from '../../src/simulator/card/index.js';
import { DEMO_HOLDER, DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { PcscTerminal } from '../../src/transport/pcsc/pcsc-terminal.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { PCSC_STACK_START_TIMEOUT_MS, startPcscStack, type PcscStack } from '../support/pcsc-stack.js';

// The full login with the bridge on the real PC/SC stack: pcscd + vpcd + pcsclite + the virtual CIE.
let pcsc: PcscStack;
let stack: TestStack;

beforeAll(async () => {
  pcsc = await startPcscStack();
  stack = await startTestStack({ terminal: await PcscTerminal.open({ timeoutMs: 5_000 }) });
  await pcsc.insertCard(openCardFile(await stack.environment.mintCardFile('pcsc-card')));
}, PCSC_STACK_START_TIMEOUT_MS + 120_000); // + a whole test stack and a card

afterAll(async () => {
  await stack?.dispose();
  await pcsc?.stop();
});

test('a citizen signs in with the card on a PC/SC reader', async () => {
  const flow = new CardLoginFlow(stack);
  const { callback, forward } = await flow.loginWithPin(DEMO_PIN);
  expect(forward.status).toBe(200);
  const { idToken, userinfo } = await flow.finish(callback);
  expect(idToken.acr).toBe(ACR.L3);
  expect(userinfo['https://attributes.eid.gov.it/fiscal_number']).toBe(`TINIT-${DEMO_HOLDER.fiscalCode}`);
});

test('a wrong PIN through PC/SC reports the tries left', async () => {
  const flow = new CardLoginFlow(stack);
  const page = await flow.enterPin(await flow.clickEntraConCie(await flow.openLoginPage()), '00000000');
  expect(page.body).toContain('data-code="wrong_pin"');
  expect(page.body).toContain('Ti restano 2 tentativi');
});

test('no card on the reader: the PIN page says so and the login can go on once it is back', async () => {
  const flow = new CardLoginFlow(stack);
  const pinPage = await flow.clickEntraConCie(await flow.openLoginPage());
  await pcsc.removeCard();
  const noCard = await flow.enterPin(pinPage, DEMO_PIN);
  expect(noCard.body).toMatch(/data-code="(no_card|card_removed)"/);
  await pcsc.insertCard(openCardFile(`${stack.environment.dir}/cards/pcsc-card.json`));
  const forward = await flow.enterPin(noCard, DEMO_PIN);
  expect(forward.body).toContain('/cie/assertion');
});
