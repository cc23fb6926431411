import { ACR } from '../../src/oidc/acr.js';
import { DEMO_HOLDER } from '../../src/simulator/demo-environment.js';
import type { TestBrowser } from '../support/test-browser.js';
import { consentAndTokens, EMAIL, loginPage, PASSWORD, useProviderStack, type TestDevice } from './support/provider-stack.js';

const stack = useProviderStack();
const origin = () => stack.issuer;

/** From the login page: "password + notifica sull'app", the password, then the push stage's page. */
async function pushPage(acr = ACR.L2) {
  const login = await loginPage(stack, acr);
  const passwordPage = await login.browser.post(`${origin()}/interaction/${login.uid}/password-app`, {}, origin());
  const id = /\/sign-in\/password\/([A-Za-z0-9_-]{32})/.exec(passwordPage.url)![1]!;
  const page = await login.browser.post(`${origin()}/sign-in/password/${id}`, { username: EMAIL, password: PASSWORD }, origin());
  return { ...login, id, page, number: Number(/id="app-number"[^>]*>(\d{2})</.exec(page.body)?.[1]) };
}

async function pending(device: TestDevice) {
  return stack.post('/app/approvals/pending', { request: await stack.signed(device) });
}

async function answer(device: TestDevice, approval: string, fields: Record<string, unknown>) {
  return stack.post(`/app/approvals/${approval}`, { response: await stack.signed(device, { approval, ...fields }) });
}

const finish = (browser: TestBrowser, id: string) => browser.post(`${origin()}/sign-in/password/${id}/finish`, {}, origin());

let device: TestDevice;
let second: TestDevice;
beforeAll(async () => {
  device = await stack.enrol('Pixel di Mario');
  second = await stack.enrol('Tablet di Mario');
}, 120_000);

test('right number → a level-2 login: SpidL2 and amr pwd swk pin mfa, the holder\'s identity', async () => {
  const push = await pushPage();
  expect(push.page.status).toBe(200);
  expect(push.number).toBeGreaterThanOrEqual(10);
  expect(push.page.body).toContain('id="app-status"');
  // The default device (the first) sees it: three numbers, one of them the page's; the requester and the level.
  const listed = await pending(device);
  expect(listed.status).toBe(200);
  const [approval] = listed.body.approvals as Array<Record<string, unknown>>;
  expect(approval).toEqual({ approval: expect.any(String), kind: 'push', requester: 'Comune di Esempio', level: ACR.L2, numbers: expect.arrayContaining([push.number]), expires_at: expect.any(Number) });
  expect(new Set(approval!.numbers as number[]).size).toBe(3);
  // Another device of the same citizen is not asked.
  expect((await pending(second)).body.approvals).toEqual([]);
  // Before the answer, "Continua" shows the page again.
  const early = await finish(push.browser, push.id);
  expect(early.body).toContain('id="app-number"');
  const status = await fetch(`${origin()}/sign-in/password/${push.id}/status`, { headers: { cookie: await push.browser.jar.getCookieString(`${origin()}/sign-in/password/${push.id}`) } });
  expect((await status.json()).state).toBe('waiting');

  const decided = await answer(device, String(approval!.approval), { decision: 'approve', number: push.number, user_verification: 'pin' });
  expect([decided.status, decided.body]).toEqual([200, { state: 'approved' }]);
  const consent = await finish(push.browser, push.id);
  expect(consent.body).toContain('/confirm"');
  const { idToken, userinfo } = await consentAndTokens(stack, push.browser, consent, push.pending);
  expect(idToken.acr).toBe(ACR.L2);
  expect(idToken.amr).toEqual(['pwd', 'swk', 'pin', 'mfa']);
  expect(userinfo.given_name).toBe(DEMO_HOLDER.givenName);
}, 60_000);

test('a wrong number fails the approval for good: the app is told, the browser shows the failure', async () => {
  const push = await pushPage();
  const [approval] = (await pending(device)).body.approvals as Array<Record<string, unknown>>;
  const wrong = (approval!.numbers as number[]).find((n) => n !== push.number)!;
  const refused = await answer(device, String(approval!.approval), { decision: 'approve', number: wrong, user_verification: 'fpt' });
  expect([refused.status, refused.body.error, typeof refused.body.message]).toEqual([403, 'app_number_mismatch', 'string']);
  // No second guess.
  const again = await answer(device, String(approval!.approval), { decision: 'approve', number: push.number, user_verification: 'fpt' });
  expect(again.body.error).toBe('approval_unknown');
  const failed = await finish(push.browser, push.id);
  expect(failed.body).toContain('app_number_mismatch');
  expect((await pending(device)).body.approvals).toEqual([]);
}, 60_000);

test('deny → the browser shows the refusal (app_approval_denied)', async () => {
  const push = await pushPage();
  const [approval] = (await pending(device)).body.approvals as Array<Record<string, unknown>>;
  const denied = await answer(device, String(approval!.approval), { decision: 'deny' });
  expect(denied.body).toEqual({ state: 'denied' });
  expect((await finish(push.browser, push.id)).body).toContain('app_approval_denied');
}, 60_000);

test('another device cannot answer the push (approval_unknown); the push\'s device can', async () => {
  const push = await pushPage();
  const [approval] = (await pending(device)).body.approvals as Array<Record<string, unknown>>;
  const stolen = await answer(second, String(approval!.approval), { decision: 'approve', number: push.number, user_verification: 'pin' });
  expect([stolen.status, stolen.body.error]).toEqual([404, 'approval_unknown']);
  const ok = await answer(device, String(approval!.approval), { decision: 'approve', number: push.number, user_verification: 'face' });
  expect(ok.body).toEqual({ state: 'approved' });
  const consent = await finish(push.browser, push.id);
  const { idToken } = await consentAndTokens(stack, push.browser, consent, push.pending);
  expect(idToken.amr).toEqual(['pwd', 'swk', 'face', 'mfa']);
}, 60_000);

test('"Annulla" fails the sign-in; the app can no longer approve it', async () => {
  const push = await pushPage();
  const [approval] = (await pending(device)).body.approvals as Array<Record<string, unknown>>;
  const cancelled = await push.browser.post(`${origin()}/sign-in/password/${push.id}/cancel`, {}, origin());
  expect(cancelled.body).toContain('cancelled');
  const late = await answer(device, String(approval!.approval), { decision: 'approve', number: push.number, user_verification: 'pin' });
  expect(late.body.error).toBe('approval_unknown');
}, 60_000);

test('approved, then the device withdrawn before the browser finishes: no login (approval_unknown), as for the QR', async () => {
  const devices = stack.app.credentials.appDevices;
  const index = devices.citizenIndex(DEMO_HOLDER.fiscalCode);
  const third = await stack.enrol('Telefono rubato');
  expect(await devices.makeDefault(index, third.deviceId)).toBe(true);
  try {
    const push = await pushPage();
    const [approval] = (await pending(third)).body.approvals as Array<Record<string, unknown>>;
    const ok = await answer(third, String(approval!.approval), { decision: 'approve', number: push.number, user_verification: 'pin' });
    expect(ok.body).toEqual({ state: 'approved' });
    // The citizen withdraws the (stolen) phone from the account page before the waiting browser finishes.
    expect(await devices.withdraw(index, third.deviceId)).toBe(true);
    const ended = await finish(push.browser, push.id);
    expect(ended.body).not.toContain('/confirm"');
    expect(ended.body).toContain('approval_unknown');
  } finally {
    await devices.withdraw(index, third.deviceId);
    await devices.makeDefault(index, device.deviceId);
  }
}, 60_000);

test('the push\'s page and status belong to the browser that typed the password', async () => {
  const push = await pushPage();
  const stranger = await fetch(`${origin()}/sign-in/password/${push.id}/status`);
  expect(stranger.status).toBe(404);
  const page = await fetch(`${origin()}/sign-in/password/${push.id}`);
  expect(await page.text()).toContain('data-code="challenge_unknown"');
}, 60_000);

test('the default device withdrawn: the push goes to the device left; the withdrawn one is refused as app_device_unknown', async () => {
  const devices = stack.app.credentials.appDevices;
  const index = devices.citizenIndex(DEMO_HOLDER.fiscalCode);
  expect(await devices.withdraw(index, device.deviceId)).toBe(true);
  const refused = await pending(device);
  expect([refused.status, refused.body.error]).toEqual([401, 'app_device_unknown']);
  const push = await pushPage();
  const [approval] = (await pending(second)).body.approvals as Array<Record<string, unknown>>;
  expect(approval!.numbers).toContain(push.number);
  // Withdraw the last one: no certified device.
  expect(await devices.withdraw(index, second.deviceId)).toBe(true);
  const none = await pushPage();
  expect(none.page.status).toBe(404);
  expect(none.page.body).toContain('id="no-app-device"');
  expect(none.page.body).toContain(`href="/interaction/${none.uid}"`);
}, 60_000);

test('acr_values: SpidL2 offers the push and the QR; SpidL3 never offers either, and their start paths are refused', async () => {
  const l2 = await loginPage(stack, ACR.L2);
  expect(l2.starts).toEqual(expect.arrayContaining(['password-app', 'app-qr']));
  const l3 = await loginPage(stack, ACR.L3);
  expect(l3.starts).not.toContain('password-app');
  expect(l3.starts).not.toContain('app-qr');
  for (const pathName of ['password-app', 'app-qr']) {
    const refused = await l3.browser.post(`${origin()}/interaction/${l3.uid}/${pathName}`, {}, origin());
    expect([refused.status, refused.body.includes('data-code="wrong_prompt"')]).toEqual([400, true]);
  }
}, 60_000);

