import fc from 'fast-check';
import { KeyObject } from 'node:crypto';
import { AssertionError } from '../../src/cie/verify/index.js';
import { buildAssertion, isNeutralMutation, type AssertionFields } from './fixtures/assertions.js';
import { createTestPki, type TestPki } from './fixtures/test-pki.js';
import { createHarness, type Harness } from './fixtures/verifier-harness.js';

let pki: TestPki;
let harness: Harness;
let cardKey: KeyObject;

beforeAll(async () => {
  pki = await createTestPki();
  cardKey = KeyObject.from(pki.card.keys.privateKey);
  harness = createHarness(pki);
});

// Every signed or checked field; `bridge` is informative and deliberately left out.
const fieldNames = ['format', 'origin', 'challenge', 'certificate', 'algorithm', 'signature'] as const;

function validFields(): Omit<AssertionFields, 'bridge'> {
  const { bridge: _informative, ...fields } = buildAssertion(harness.challenges.issue(), pki.card.certificate.rawData, cardKey);
  return fields;
}

/** The mutated assertion must be refused with a deliberate AssertionError, never accepted or crash. */
async function expectRefused(raw: string): Promise<void> {
  const outcome = await harness.verify(raw, { boundTo: 'interaction-1' }).then(
    () => 'accepted',
    (error: unknown) =>
      error instanceof AssertionError
        ? error.code === 'internal_error'
          ? `internal_error: ${String(error.cause)}`
          : error.code
        : `foreign error: ${String(error)}`,
  );
  expect(outcome).not.toBe('accepted');
  expect(outcome).not.toMatch(/^foreign error/);
  expect(outcome).not.toMatch(/^internal_error/);
}

describe('mutated assertions are never accepted', () => {
  it('sanity: the unmutated assertion is accepted', async () => {
    await expect(harness.verify(JSON.stringify(validFields()), {})).resolves.toMatchObject({ boundTo: 'interaction-1' });
  });

  it('any byte of the JSON replaced', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 0, max: 255 }), async (position, byte) => {
        const json = JSON.stringify(validFields());
        const index = position % json.length;
        const replacement = String.fromCharCode(byte === json.charCodeAt(index) ? (byte + 1) % 256 : byte);
        const mutated = json.slice(0, index) + replacement + json.slice(index + 1);
        if (isNeutralMutation(json, mutated)) await expect(harness.verify(mutated, {})).resolves.toMatchObject({ boundTo: 'interaction-1' });
        else await expectRefused(mutated);
      }),
      { numRuns: 200 },
    );
  });

  it('two fields swapped', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fieldNames), fc.constantFrom(...fieldNames), async (a, b) => {
        fc.pre(a !== b);
        const fields = validFields();
        await expectRefused(JSON.stringify({ ...fields, [a]: fields[b], [b]: fields[a] }));
      }),
      { numRuns: 40 },
    );
  });

  it('any bit of the signature flipped', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 256 * 8 - 1 }), async (bit) => {
        const fields = validFields();
        const signature = Buffer.from(fields.signature, 'base64url');
        signature[bit >> 3]! ^= 1 << (bit & 7);
        await expectRefused(JSON.stringify({ ...fields, signature: signature.toString('base64url') }));
      }),
      { numRuns: 150 },
    );
  });

  it('any bit of the certificate flipped', async () => {
    const length = pki.card.certificate.rawData.byteLength;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: length * 8 - 1 }), async (bit) => {
        const fields = validFields();
        const der = Buffer.from(fields.certificate, 'base64');
        der[bit >> 3]! ^= 1 << (bit & 7);
        await expectRefused(JSON.stringify({ ...fields, certificate: der.toString('base64') }));
      }),
      { numRuns: 200 },
    );
  });
});

test('the byte change CI once found (format 1.0 → 1.1, seed -1940098320) is accepted, as docs/assertion.md says', async () => {
  const json = JSON.stringify(validFields());
  const index = json.indexOf('cie-assertion:1.0') + 'cie-assertion:1.'.length;
  const mutated = `${json.slice(0, index)}1${json.slice(index + 1)}`;
  expect(isNeutralMutation(json, mutated)).toBe(true);
  await expect(harness.verify(mutated, {})).resolves.toMatchObject({ boundTo: 'interaction-1' });
  expect(isNeutralMutation(json, `${json.slice(0, index - 2)}2${json.slice(index - 1)}`)).toBe(false);
});
