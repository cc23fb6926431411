import { ChallengeStore } from '../../../src/cie/challenge-store.js';
import type { AppAssertionVerifier } from '../../../src/sign-in/app-assertion-verifier.js';
import { SmartphoneSessions } from '../../../src/sign-in/smartphone/smartphone-sessions.js';
import { DEFAULT_SMARTPHONE_SETTINGS, type SmartphoneSettings } from '../../../src/sign-in/smartphone/smartphone-settings.js';
import type { StateStore } from '../../../src/storage/state-store.js';
import { MemoryStateStore } from '../../../src/storage/state/memory-state-store.js';

export const ORIGIN = 'https://id.example.it';
export const BINDING = { waiter: 'interaction', id: 'uid-1' };

/** Every value written to the store, to show what is stored before the card's signature is verified. */
export function recordingStore(inner: StateStore): { store: StateStore; written: Array<{ key: string; value: string }> } {
  const written: Array<{ key: string; value: string }> = [];
  const store = new Proxy(inner, {
    get(target, name, receiver) {
      const original = Reflect.get(target, name, receiver) as unknown;
      if (typeof original !== 'function') return original;
      if (name === 'put' || name === 'putIfAbsent') {
        return (key: string, value: object, ttl: number) => {
          written.push({ key, value: JSON.stringify(value) });
          return (original as (...a: unknown[]) => unknown).call(target, key, value, ttl);
        };
      }
      return (original as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return { store, written };
}

/**
 * A stand-in for the verifier chain that keeps its single-use and binding behaviour: the assertion
 * names a challenge, which is taken from the real ChallengeStore and must carry the expected binding.
 * (The real chain with the simulator's card: app-simulator.test.ts.)
 */
export function challengeOnlyVerifier(challenges: ChallengeStore, documentNumber = { value: 'CA00000AA' }): AppAssertionVerifier {
  return async (raw, expected) => {
    const { challenge } = JSON.parse(raw) as { challenge: string };
    const record = await challenges.consume(challenge);
    if (!record) throw Object.assign(new Error('challenge unknown'), { code: 'challenge_not_found' });
    if (record.boundTo !== expected) throw Object.assign(new Error('other session'), { code: 'challenge_interaction_mismatch' });
    return { boundTo: record.boundTo, fiscalCode: 'RSSMRA85T10A562S', claims: { fiscal_number: 'TINIT-RSSMRA85T10A562S' }, certificateSerial: '01', documentNumber: documentNumber.value };
  };
}

export function phoneHarness(settings: Partial<SmartphoneSettings> = {}) {
  const clock = { now: 1_800_000_000_000 };
  const now = () => clock.now;
  const { store, written } = recordingStore(new MemoryStateStore(now));
  const challenges = new ChallengeStore(store, 300, now);
  const documentNumber = { value: 'CA00000AA' };
  const sessions = new SmartphoneSessions({ store, challenges, verify: challengeOnlyVerifier(challenges, documentNumber), settings: { ...DEFAULT_SMARTPHONE_SETTINGS, ...settings }, origin: ORIGIN, now });
  return { clock, store, written, challenges, sessions, documentNumber, advance: (seconds: number) => void (clock.now += seconds * 1000) };
}

/** The assertion the stand-in verifier reads: only the challenge matters to it. */
export const assertionFor = (challenge: string) => JSON.stringify({ challenge });

/** The code a rejected promise was rejected with. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
  return 'fulfilled';
}
