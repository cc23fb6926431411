import fc from 'fast-check';
import { KeyObject, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AssertionValidator } from '../../src/cie/verify/assertion-validator.js';
import { assertionValidators } from '../../src/cie/verify/assertion-validators.js';
import { verifierOver } from '../../src/cie/verify/create-assertion-verifier.js';
import { AssertionError, CIE_AUTHENTICATION_POLICY, type AuditEvent, type VerifierConfig } from '../../src/cie/verify/index.js';
import { MemoryChallenges, ORIGIN, buildAssertion, type AssertionFields } from './fixtures/assertions.js';
import { caExtensions, createTestPki, issue, type Issued, type TestPki } from './fixtures/test-pki.js';

// The verifier is one list of validators; a returning card (its certificate already verified and
// remembered) runs that list minus the entries marked skipWhenCertificateCached. Observed here by
// wrapping every entry of the real list so that each run writes its name down.
const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
let pki: TestPki;
let cardKey: KeyObject;
let strangerKey: KeyObject;
/** Issued by a CA that expires 30 minutes after the test starts: within the hour a known certificate is kept. */
let shortLivedCa: Issued;
let cardOfShortLivedCa: Issued;

beforeAll(async () => {
  pki = await createTestPki();
  cardKey = KeyObject.from(pki.card.keys.privateKey);
  strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  shortLivedCa = await issue({ subject: 'CN=Short-lived CIE Sub CA, C=IT', issuer: pki.root, extensions: caExtensions(), notAfter: new Date(Date.now() + 30 * MINUTE) });
  cardOfShortLivedCa = await pki.issueCard({ serialNumber: 'IDCIT-CL11111AA' }, shortLivedCa);
});

/** Shared by every verifier of a test: the clock, the challenge store and whether the revocation checker says revoked. */
interface World {
  clockOffsetMs: number;
  revoked: boolean;
  challenges: MemoryChallenges;
}

interface ObservedVerifier {
  verify(raw: string, expected?: { boundTo?: string }): Promise<Outcome>;
  /** Names of the validators run by the last verification, in order. */
  ran: string[];
}

interface Outcome {
  code: string;
  /** The audit event without its time. */
  event: Omit<AuditEvent, 'at'>;
}

function newWorld(): World {
  return { clockOffsetMs: 0, revoked: false, challenges: new MemoryChallenges() };
}

function configFor(world: World): VerifierConfig {
  return {
    origin: ORIGIN,
    trustAnchors: [pki.root.certificate],
    intermediates: [pki.intermediate.certificate, shortLivedCa.certificate],
    clockToleranceSeconds: 60,
    allowedAlgorithms: ['RS256'],
    requiredPolicy: CIE_AUTHENTICATION_POLICY,
    revocation: {
      check: async () => {
        if (world.revoked) throw new AssertionError('certificate_revoked', 'revoked (test)');
      },
    },
    now: () => new Date(Date.now() + world.clockOffsetMs),
  };
}

/** The real list, each entry wrapped to write its name down when it runs. */
function instrumented(validators: readonly AssertionValidator[], ran: string[]): AssertionValidator[] {
  return validators.map((validator) => ({
    ...validator,
    run: (attempt) => {
      ran.push(validator.name);
      return validator.run(attempt);
    },
  }));
}

function observedVerifier(world: World): ObservedVerifier {
  const config = configFor(world);
  const events: AuditEvent[] = [];
  const observed: ObservedVerifier = {
    ran: [],
    verify: async (raw, expected = {}) => {
      observed.ran.length = 0;
      const before = events.length;
      const code = await verify(raw, expected).then(
        () => 'accepted',
        (error: unknown) => (error instanceof AssertionError ? error.code : `foreign error: ${String(error)}`),
      );
      const fresh = events.slice(before);
      expect(fresh).toHaveLength(1);
      const { at: _time, ...event } = fresh[0]!;
      return { code, event };
    },
  };
  const verify = verifierOver(instrumented(assertionValidators(config, world.challenges, config.now!), observed.ran), (event) => events.push(event), config.now!);
  return observed;
}

const validators = () => assertionValidators(configFor(newWorld()), new MemoryChallenges(), () => new Date());
const names = (list: readonly AssertionValidator[]) => list.map((validator) => validator.name);
const skippable = (list: readonly AssertionValidator[]) => list.filter((validator) => validator.skipWhenCertificateCached).map((validator) => validator.name);

function assertionFor(world: World, card: Issued = pki.card, overrides: Partial<AssertionFields> = {}, options: { key?: KeyObject; signedOrigin?: string; lifetimeMs?: number } = {}): string {
  const record = world.challenges.issue(undefined, options.lifetimeMs);
  return JSON.stringify(buildAssertion(record, card.certificate.rawData, options.key ?? cardKey, overrides, options.signedOrigin ?? record.origin));
}

/** A verifier that has verified `card` once (its next verification of that card takes the returning-card path) and one that never saw it. */
async function returningAndNew(world: World, card: Issued = pki.card): Promise<{ returning: ObservedVerifier; fresh: ObservedVerifier }> {
  const returning = observedVerifier(world);
  expect((await returning.verify(assertionFor(world, card))).code).toBe('accepted');
  return { returning, fresh: observedVerifier(world) };
}

describe('the list', () => {
  it('marks as skippable only what depends on the certificate and the start-up configuration, each with a reason', () => {
    const list = validators();
    expect(new Set(names(list)).size).toBe(list.length);
    expect(skippable(list)).toEqual(['certificate', 'end-entity', 'key-usage', 'policy', 'chain', 'identity']);
    for (const validator of list) {
      if (validator.skipWhenCertificateCached) expect(validator.skipReason.length).toBeGreaterThan(10);
    }
  });

  it('is the table of docs/verification.md, in order, with the same skip marks and reasons', () => {
    const doc = readFileSync(new URL('../../docs/verification.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Validator order'), doc.indexOf('### Returning cards'));
    const rows = section
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line))
      .map((line) => line.split(' | ').map((cell) => cell.trim()));
    const list = validators();
    expect(rows.map((row) => row[1])).toEqual(list.map((validator) => `\`${validator.name}\``));
    rows.forEach((row, index) => {
      const validator = list[index]!;
      const returningCard = row.at(-1)!.replace(/ \|$/, '');
      expect(returningCard).toBe(validator.skipWhenCertificateCached ? `skipped: ${validator.skipReason}` : 'runs');
    });
  });
});

describe('the returning-card path is the list minus the marked entries', () => {
  it('a new certificate runs every entry; the same certificate again runs exactly the unmarked ones, in the same order', async () => {
    const world = newWorld();
    const list = validators();
    const verifier = observedVerifier(world);
    expect((await verifier.verify(assertionFor(world))).code).toBe('accepted');
    expect(verifier.ran).toEqual(names(list));
    const first = await verifier.verify(assertionFor(world));
    expect(first.code).toBe('accepted');
    expect(verifier.ran).toEqual(names(list).filter((name) => !skippable(list).includes(name)));
    // Another certificate is not a returning card: the whole list again.
    const other = await pki.issueCard({ serialNumber: 'IDCIT-CL22222BB' });
    expect((await verifier.verify(assertionFor(world, other))).code).toBe('accepted');
    expect(verifier.ran).toEqual(names(list));
  });

  // Each mutation is caught on the full path by an entry that is not marked: the returning card must
  // be refused by the same entry, with the same code and the same audit event.
  const mutations: { name: string; mutate: (world: World) => { raw: string; expected?: { boundTo?: string } }; card?: () => Issued }[] = [
    { name: 'format of another major version', mutate: (world) => ({ raw: assertionFor(world, pki.card, { format: 'cie-assertion:2.0' }) }) },
    { name: 'another origin in the assertion', mutate: (world) => ({ raw: assertionFor(world, pki.card, { origin: 'https://evil.example' }) }) },
    { name: 'an algorithm not allowed', mutate: (world) => ({ raw: assertionFor(world, pki.card, { algorithm: 'PS256' }) }) },
    { name: 'a challenge of another interaction', mutate: (world) => ({ raw: assertionFor(world), expected: { boundTo: 'someone-else' } }) },
    { name: 'an expired challenge', mutate: (world) => ({ raw: assertionFor(world, pki.card, {}, { lifetimeMs: -1 }) }) },
    { name: 'an unknown challenge', mutate: () => ({ raw: JSON.stringify(buildAssertion(new MemoryChallenges().issue(), pki.card.certificate.rawData, cardKey)) }) },
    { name: 'a signature by another key', mutate: (world) => ({ raw: assertionFor(world, pki.card, {}, { key: strangerKey }) }) },
    { name: 'a signature over another origin', mutate: (world) => ({ raw: assertionFor(world, pki.card, {}, { signedOrigin: 'https://evil.example' }) }) },
    {
      name: 'the clock before the card’s notBefore',
      mutate: (world) => {
        world.clockOffsetMs = -2 * DAY;
        return { raw: assertionFor(world) };
      },
    },
    {
      name: 'a CA on the path expired since the card was remembered',
      card: () => cardOfShortLivedCa,
      mutate: (world) => {
        world.clockOffsetMs = 40 * MINUTE;
        return { raw: assertionFor(world, cardOfShortLivedCa, {}, { lifetimeMs: 2 * 60 * MINUTE }) };
      },
    },
    {
      name: 'a revoked card',
      mutate: (world) => {
        world.revoked = true;
        return { raw: assertionFor(world) };
      },
    },
  ];

  it.each(mutations)('$name: refused by the same unmarked entry on both paths', async ({ mutate, card }) => {
    const world = newWorld();
    const list = validators();
    const { returning, fresh } = await returningAndNew(world, card?.());
    const onFullPath = mutate(world);
    const full = await fresh.verify(onFullPath.raw, onFullPath.expected);
    const failedAt = fresh.ran.at(-1)!;
    expect(full.code).not.toBe('accepted');
    expect(skippable(list)).not.toContain(failedAt);
    const onReturningPath = mutate(world);
    const cached = await returning.verify(onReturningPath.raw, onReturningPath.expected);
    expect(cached).toEqual(full);
    expect(returning.ran.at(-1)).toBe(failedAt);
    expect(returning.ran).toEqual(fresh.ran.filter((name) => !skippable(list).includes(name)));
  });

  it('any bit of the signature or byte of the JSON changed: the returning card gets the full path’s answer', async () => {
    const world = newWorld();
    const list = validators();
    const { returning } = await returningAndNew(world);
    const fieldsOf = (raw: string) => JSON.parse(raw) as AssertionFields;
    const withSignatureBit = (raw: string, bit: number) => {
      const fields = fieldsOf(raw);
      const signature = Buffer.from(fields.signature, 'base64url');
      signature[(bit >> 3) % signature.length]! ^= 1 << (bit & 7);
      return JSON.stringify({ ...fields, signature: signature.toString('base64url') });
    };
    const withByte = (raw: string, position: number, byte: number) => {
      const index = position % raw.length;
      const replacement = String.fromCharCode(byte === raw.charCodeAt(index) ? (byte + 1) % 256 : byte);
      return raw.slice(0, index) + replacement + raw.slice(index + 1);
    };
    const sameAnswer = async (mutated: (raw: string) => string) => {
      // A new verifier each time: one that accepted a neutral mutation would remember the card.
      const fresh = observedVerifier(world);
      const full = await fresh.verify(mutated(assertionFor(world)));
      const failedAt = fresh.ran.at(-1)!;
      const cached = await returning.verify(mutated(assertionFor(world)));
      // The challenge differs between the two runs, so only where the run stopped and why are compared.
      expect(cached.code).toBe(full.code);
      if (full.code !== 'accepted' && !skippable(list).includes(failedAt)) expect(returning.ran.at(-1)).toBe(failedAt);
    };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 256 * 8 - 1 }), (bit) => sameAnswer((raw) => withSignatureBit(raw, bit))),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 0, max: 255 }), (position, byte) => sameAnswer((raw) => withByte(raw, position, byte))),
      { numRuns: 80 },
    );
  });
});
