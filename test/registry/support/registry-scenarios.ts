import { AccessRegistry } from '../../../src/registry/access-registry.js';
import type { RegistryKeys } from '../../../src/registry/registry-keys.js';
import { secretHash } from '../../../src/registry/sealing.js';
import type { RegistryBackend } from './registry-backends.js';

export const CITIZEN = 'TINIT-RSSMRA85T10A562S';
export const OTHER_CITIZEN = 'TINIT-VRDLGU80A01H501U';

/** A settable clock for the registry. */
export function testClock(start = new Date('2026-01-15T10:00:00Z')) {
  let now = start.getTime();
  return { now: () => new Date(now), set: (date: Date) => (now = date.getTime()), advance: (ms: number) => (now += ms) };
}

/** A login as the provider records it: authentication, consent, token, userinfo. */
export async function recordLogin(registry: AccessRegistry, accountId = CITIZEN, clientId = 'https://rp.example.it', grantId = 'grant-1'): Promise<void> {
  await registry.recordAuthentication({
    clientId,
    accountId,
    method: 'cie-card',
    outcome: 'authenticated',
    acr: 'https://www.spid.gov.it/SpidL3',
    amr: ['sc', 'pin', 'mfa'],
    requestObject: 'eyJhbGciOiJSUzI1NiJ9.eyJsb2dpbl9oaW50IjoiUlNTTVJBIn0.c2ln',
    requestParameters: { scope: 'openid profile', client_id: clientId },
    attributes: { given_name: 'Mario', family_name: 'Rossi', fiscal_code: 'RSSMRA85T10A562S' },
    certificateSerial: '0a1b2c3d',
  });
  await registry.recordConsent({ clientId, accountId, grantId, scopes: ['openid', 'profile'], released: { given_name: 'Mario', family_name: 'Rossi' }, offlineAccess: false });
  await registry.recordExchange({ exchange: 'token', clientId, accountId, grantId, status: 200, grantType: 'authorization_code', hashes: { code: secretHash('the-code'), access_token: secretHash('the-access-token') } });
  await registry.recordExchange({ exchange: 'userinfo', clientId, accountId, grantId, status: 200, hashes: { access_token: secretHash('the-access-token') } });
}

export async function newRegistry(backend: RegistryBackend, keys: RegistryKeys, clock = testClock()): Promise<AccessRegistry> {
  const registry = new AccessRegistry(await backend.open(), keys, { clock: clock.now });
  await registry.ready();
  return registry;
}
