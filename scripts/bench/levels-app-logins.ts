// The CieID app as a level-2 factor in the `levels` bench part: the citizens' certified phones (put in the
// provider's database as an enrolment would), and the two logins — password + push with number matching, and
// the app's QR — driven as a browser and the app do them.
import type { CredentialsRoom } from '../../src/credentials/credentials-room.js';
import type { LocalOutbox } from '../../src/mail/local-outbox.js';
import { ACR } from '../../src/oidc/acr.js';
import { deviceRequest } from '../../src/simulator/app/device-jws.js';
import { newDeviceKey, type UnlockedDevice } from '../../src/simulator/app/device-key-store.js';
import { browserOn, expectStatus, finishToTokens, loginPageOf, UnexpectedAnswer, type Browse } from './levels-browse.js';
import type { PreparedLogin } from './login-driver.js';
import type { LoginBenchStack } from './login-stack.js';

export const APP_PASSWORD = 'Girasole2024x';

/** A citizen with activated credentials and one certified phone (its default device): pushes go to it. */
export interface BenchPhone {
  email: string;
  /** The phone's key, unlocked for the whole bench (the security code's scrypt is the phone's cost, not the provider's). */
  device: Omit<UnlockedDevice, 'origin'>;
}

/** `count` citizens, each with password credentials and one certified device (one push in flight per citizen). */
export async function enrolPhones(room: CredentialsRoom, outbox: LocalOutbox, count: number): Promise<BenchPhone[]> {
  const phones: BenchPhone[] = [];
  for (let i = 0; i < count; i += 1) {
    const email = `app.citizen${i}@example.it`;
    const citizen = { fiscalCode: `BNCLRA90A41F20${i}X`, acr: ACR.L3, claims: { given_name: 'Laura', family_name: `Bianchi ${i}` } };
    const codeId = await room.activation.begin(citizen, { usernameKind: 'email', email, password: APP_PASSWORD }, 'it');
    await room.activation.confirm(citizen, codeId, /\b(\d{6})\b/.exec(outbox.list(email)[0]?.text ?? '')?.[1] ?? '');
    const key = newDeviceKey();
    const stored = await room.appDevices.add({ identity: { fiscalCode: citizen.fiscalCode, claims: citizen.claims }, publicJwk: key.publicJwk, name: `bench ${i}` });
    phones.push({ email, device: { deviceId: stored.deviceId, privateKey: key.privateKey } });
  }
  return phones;
}

/** Free phones, one per login in flight (a push goes to the citizen's one default device). */
export class PhonePool {
  constructor(private readonly free: BenchPhone[]) {}
  async with<T>(work: (phone: BenchPhone) => Promise<T>): Promise<T> {
    const phone = this.free.pop();
    if (!phone) throw new Error('more logins in flight than phones');
    try {
      return await work(phone);
    } finally {
      this.free.push(phone);
    }
  }
}

/** One app call, as the app makes it: JSON with a device-signed request. */
async function appCall(stack: LoginBenchStack, path: string, body: Record<string, string>): Promise<Record<string, unknown>> {
  const response = await fetch(new URL(path, stack.issuer), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
  const answer = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new UnexpectedAnswer(`${path}: HTTP ${response.status} ${String(answer.error)}`);
  return answer;
}

const signed = (stack: LoginBenchStack, phone: BenchPhone, fields: Record<string, unknown> = {}) => deviceRequest({ ...phone.device, origin: stack.issuer }, fields);

/** The app answers an approval (approve, the number picked when a push offers one). */
async function approve(stack: LoginBenchStack, phone: BenchPhone, approval: string, number?: number): Promise<void> {
  const fields = { approval, decision: 'approve', user_verification: 'pin', ...(number !== undefined ? { number } : {}) };
  const answer = await appCall(stack, `/app/approvals/${approval}`, { response: await signed(stack, phone, fields) });
  if (answer.state !== 'approved') throw new UnexpectedAnswer(`approval answered ${String(answer.state)}`);
}

/** The waiting page's "Continua" (the finish form), once the app approved: the 303 to the completion. */
async function continueAfterApproval(browse: Browse, page: string): Promise<string> {
  const finish = /<form method="post" action="([^"]+)" id="finish-form">/.exec(page)?.[1];
  if (!finish) throw new UnexpectedAnswer('no finish form on the waiting page');
  const finished = await browse(finish, { method: 'POST', form: {} });
  expectStatus(finished, 303, 'finish');
  return finished.location ?? '';
}

/** Password + push: the password, the waiting page's number, the app's pending push, the number picked, "Continua", consent, tokens. */
export async function passwordAppLogin(stack: LoginBenchStack, prepared: PreparedLogin, phone: BenchPhone): Promise<{ acr: string; amr: string[] }> {
  const browse = browserOn(stack);
  const interactionUrl = await loginPageOf(browse, prepared);
  const started = await browse(`${interactionUrl}/password-app`, { method: 'POST', form: {} });
  expectStatus(started, 303, 'password-app start');
  expectStatus(await browse(started.location ?? ''), 200, 'password page');
  const submitted = await browse(new URL(started.location ?? '', stack.issuer).pathname, { method: 'POST', form: { username: phone.email, password: APP_PASSWORD } });
  expectStatus(submitted, 303, 'password submit');
  const waiting = await browse(submitted.location ?? '');
  expectStatus(waiting, 200, 'waiting page');
  const number = Number(/id="app-number"[^>]*>\s*(\d{2})\s*</.exec(waiting.body)?.[1]);
  const pending = await appCall(stack, '/app/approvals/pending', { request: await signed(stack, phone) });
  const [push] = pending.approvals as Array<{ approval: string; numbers: number[] }>;
  if (!push || !push.numbers.includes(number)) throw new UnexpectedAnswer('no push with the page\'s number');
  await approve(stack, phone, push.approval, number);
  return finishToTokens(stack, browse, prepared, await continueAfterApproval(browse, waiting.body));
}

/** The app's QR: "Entra con l'app CieID", the QR page, the app opens the QR and approves, "Continua", consent, tokens. */
export async function appQrLogin(stack: LoginBenchStack, prepared: PreparedLogin, phone: BenchPhone): Promise<{ acr: string; amr: string[] }> {
  const browse = browserOn(stack);
  const interactionUrl = await loginPageOf(browse, prepared);
  const started = await browse(`${interactionUrl}/app-qr`, { method: 'POST', form: {} });
  expectStatus(started, 303, 'app-qr start');
  const page = await browse(started.location ?? '');
  expectStatus(page, 200, 'QR page');
  const nonce = /id="app-qr" data-link="[^"#]*#([A-Za-z0-9_-]{43})"/.exec(page.body)?.[1];
  if (!nonce) throw new UnexpectedAnswer('no QR link on the page');
  const opened = await appCall(stack, '/app/approvals/open', { request: await signed(stack, phone, { qr: nonce }) });
  await approve(stack, phone, String(opened.approval));
  return finishToTokens(stack, browse, prepared, await continueAfterApproval(browse, page.body));
}
