import type { PendingLogin } from '../../../src/demo-rp/rp-client.js';
import type { CredentialsRoom } from '../../../src/credentials/credentials-room.js';
import type { AccessRegistry } from '../../../src/registry/access-registry.js';
import { certifyDevice } from '../../../src/simulator/app/device-enrolment.js';
import { DeviceKeyStore } from '../../../src/simulator/app/device-key-store.js';
import { DEMO_PIN } from '../../../src/simulator/demo-environment.js';
import { formIn, type BrowserResponse, type TestBrowser } from '../../support/test-browser.js';
import { consentAndTokens, startProviderStack, type ProviderStack } from './provider-stack.js';

export { EMAIL, PASSWORD } from './provider-stack.js';
export const SECURITY_CODE = '482915';

export interface AppFactorStack extends ProviderStack {
  credentials: CredentialsRoom;
  registry: AccessRegistry;
  /** A phone certified for this provider with the demo holder's card: its key store (the key sealed under SECURITY_CODE) and its device id. */
  certifiedPhone(name?: string): Promise<{ store: DeviceKeyStore; deviceId: string }>;
}

/**
 * The provider stack of the app factor's tests (provider-stack.ts: the real provider app, the verifier
 * chain on the test PKI, the demo holder's password activated) with an access registry, and the CieID-app
 * simulator as the phone: certification and answers go through its own client code, not the test's keys.
 */
export async function startAppFactorStack(env: Record<string, string> = {}): Promise<AppFactorStack> {
  const stack = await startProviderStack(env, { registry: true });
  return {
    ...stack,
    credentials: stack.app.credentials,
    registry: stack.registry!,
    certifiedPhone: async (name = 'Pixel di Mario') => {
      const store = DeviceKeyStore.inMemory();
      const reader = await stack.phoneReader();
      const { device } = await certifyDevice({ origin: stack.issuer, name, pin: DEMO_PIN, securityCode: SECURITY_CODE, reader, store });
      await reader.close();
      return { store, deviceId: device.deviceId };
    },
  };
}

/** The consent page → "Consenti" → the RP's callback → openid-client: the ID token's claims. */
export async function consentAndIdToken(stack: AppFactorStack, browser: TestBrowser, consent: BrowserResponse, pending: PendingLogin) {
  return (await consentAndTokens(stack, browser, consent, pending)).idToken;
}

/** The waiting page's "Continua" once the app answered: where the waiter sends the browser (the consent page). */
export async function continueAfterApp(stack: AppFactorStack, browser: TestBrowser, waiting: BrowserResponse): Promise<BrowserResponse> {
  const { action } = formIn(waiting.body, { action: /\/finish$/ });
  return browser.post(new URL(action, stack.issuer).href, {}, stack.issuer);
}
