import type { AssertionValidator, Attempt } from './assertion-validator.js';

/**
 * Runs the list in order. On reaching the first entry marked `skipWhenCertificateCached`, it asks
 * `recall` once whether this certificate already passed the whole list (recall then fills the attempt
 * with what the marked entries found that time); if so every marked entry is skipped. The
 * returning-card path is therefore the list minus its marked entries, never a sequence of its own.
 * Resolves to whether the certificate was recalled.
 */
export async function runValidators(
  validators: readonly AssertionValidator[],
  attempt: Attempt,
  recall: (attempt: Attempt) => boolean,
): Promise<boolean> {
  let recalled: boolean | undefined;
  for (const validator of validators) {
    if (validator.skipWhenCertificateCached) {
      recalled ??= recall(attempt);
      if (recalled) continue;
    }
    // Most validators are synchronous: awaiting only a promise keeps their cost a plain call.
    const pending = validator.run(attempt);
    if (pending) await pending;
  }
  return recalled === true;
}
