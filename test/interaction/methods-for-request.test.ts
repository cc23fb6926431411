import { ACR } from '../../src/oidc/acr.js';
import { methodsFor, requestedLevel } from '../../src/interaction/methods-for-request.js';

const password = { id: 'password', level: 1 as const };
const passkey = { id: 'passkey', level: 2 as const };
const card = { id: 'cie-card', level: 3 as const };
const all = [password, passkey, card];
const ids = (acrValues: unknown) => methodsFor(all, acrValues).map((method) => method.id);

test('a method is offered when its level reaches the lowest level the request accepts', () => {
  expect(ids(ACR.L1)).toEqual(['password', 'passkey', 'cie-card']);
  expect(ids(ACR.L2)).toEqual(['passkey', 'cie-card']);
  expect(ids(ACR.L3)).toEqual(['cie-card']);
  // acr_values in preference order: any listed level is acceptable to the RP.
  expect(ids(`${ACR.L3} ${ACR.L2}`)).toEqual(['passkey', 'cie-card']);
  expect(ids(`${ACR.L2} ${ACR.L1}`)).toEqual(['password', 'passkey', 'cie-card']);
});

test('no acr_values, or none the provider knows, asks for level 3, as the login policy reads it', () => {
  expect(requestedLevel(undefined)).toBe(3);
  expect(requestedLevel('')).toBe(3);
  expect(requestedLevel('urn:example:unknown')).toBe(3);
  expect(ids(undefined)).toEqual(['cie-card']);
});

test('the card alone satisfies every level 1–3 request', () => {
  for (const acr of [ACR.L1, ACR.L2, ACR.L3]) expect(methodsFor([card], acr)).toEqual([card]);
});
