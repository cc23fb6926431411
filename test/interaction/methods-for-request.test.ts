import { ACR } from '../../src/oidc/acr.js';
import { methodsFor, requestedLevel, satisfiesRequest } from '../../src/interaction/methods-for-request.js';

const password = { id: 'password', level: 1 as const, choiceView: 'sign-in/password-choice' };
const passwordAndCode = { id: 'password-otp', level: 2 as const, choiceView: 'sign-in/password-choice' };
const passkey = { id: 'passkey', level: 2 as const, choiceView: 'sign-in/passkey-choice' };
const card = { id: 'cie-card', level: 3 as const, choiceView: 'sign-in/card-choice' };
const all = [card, passkey, passwordAndCode, password];
const ids = (acrValues: unknown) => methodsFor(all, acrValues).map((method) => method.id);

test('a method is offered when its level reaches the lowest level the request accepts; listed levels first, in the request\'s order', () => {
  // The password's two levels share one entry: the one of the preferred level is offered.
  expect(ids(ACR.L1)).toEqual(['password', 'passkey', 'cie-card']);
  expect(ids(ACR.L2)).toEqual(['passkey', 'password-otp', 'cie-card']);
  expect(ids(ACR.L3)).toEqual(['cie-card']);
  // acr_values in preference order: any listed level is acceptable to the RP, the preferred one comes first.
  expect(ids(`${ACR.L3} ${ACR.L2}`)).toEqual(['cie-card', 'passkey', 'password-otp']);
  expect(ids(`${ACR.L2} ${ACR.L3}`)).toEqual(['passkey', 'password-otp', 'cie-card']);
  expect(ids(`${ACR.L2} ${ACR.L1}`)).toEqual(['passkey', 'password-otp', 'cie-card']);
  expect(ids(`${ACR.L1} ${ACR.L2}`)).toEqual(['password', 'passkey', 'cie-card']);
  expect(ids(`${ACR.L1} ${ACR.L3}`)).toEqual(['password', 'cie-card', 'passkey']);
});

test('what a sign-in reached satisfies the request only at or above the lowest level it accepts', () => {
  expect(satisfiesRequest(ACR.L1, ACR.L3)).toBe(false);
  expect(satisfiesRequest(ACR.L2, ACR.L3)).toBe(false);
  expect(satisfiesRequest(ACR.L2, `${ACR.L2} ${ACR.L1}`)).toBe(true);
  expect(satisfiesRequest(ACR.L1, `${ACR.L2} ${ACR.L1}`)).toBe(true);
  expect(satisfiesRequest(ACR.L1, undefined)).toBe(false);
  expect(satisfiesRequest(ACR.L3, ACR.L1)).toBe(true);
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
