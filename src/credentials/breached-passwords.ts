import { createHash } from 'node:crypto';
import { breachedPasswordChecks } from '../observability/metrics.js';
import { loggerFor } from '../shared/logger.js';
import { BreachedPasswordsFile } from './breached-passwords-file.js';
import { BreachedPasswordsRangeApi } from './breached-passwords-range-api.js';
import { CredentialsError } from './credentials-error.js';
import { normalizePassword, type BreachedPasswordCheck } from './password-policy.js';

/**
 * NIST SP 800-63B §5.1.1.2 (2017) and SP 800-63B-4 §3.1.1.2 (2025): a password being chosen is
 * compared with a list of values known to be commonly used, expected or compromised, the passwords
 * of past breaches first, which attackers try first. Two sources an operator may turn on, both
 * off by default (the short built-in list of password-policy.ts always applies):
 *   - the offline file of Pwned Passwords (BREACHED_PASSWORDS_FILE, breached-passwords-file.ts):
 *     nothing leaves the provider; the first choice in production;
 *   - the k-anonymity range API (BREACHED_PASSWORDS_API, breached-passwords-range-api.ts): only the
 *     first 5 hex digits of the SHA-1 leave the provider.
 * Only when a password is chosen (activation, change), never at sign-in.
 *
 * A source that cannot answer (the API down or slow, the file gone) FAILS OPEN: the password is
 * accepted, with a warn line (`breached_password_check_unavailable`) and the metric's `unavailable`.
 * Why: the check is one more layer over the rules, scrypt, the limits and the lockout; a third party's
 * outage must not stop citizens from activating or changing credentials of a public service (the only
 * way back is the card), and a password accepted in an outage can be checked again at its next change.
 * The operator who wants no third party in the path uses the file, which answers from local disk.
 */
export interface BreachedPasswordsSettings {
  /** BREACHED_PASSWORDS_FILE ('' = off). */
  file: string;
  /** BREACHED_PASSWORDS_API, the base URL ('' = off). */
  api: string;
  /** BREACHED_PASSWORDS_API_TIMEOUT_MS: the whole request. */
  apiTimeoutMs: number;
}

/**
 * The largest range answer read. Padding only raises an answer to 800–1000 lines; a bucket of the full
 * list already holds more (its ~1.5 billion hashes over 16^5 prefixes: about 1,500 lines of ~40 bytes,
 * near 64 KiB, and growing), so the bound leaves room for growth instead of failing every look-up open.
 */
export const RANGE_API_MAX_BYTES = 256 * 1024;

type SourceName = 'file' | 'range_api';

export interface BreachedPasswordSource {
  readonly name: SourceName;
  /** Times the SHA-1 (40 upper-case hex) was seen; throws when the source cannot answer. */
  count(sha1: string): Promise<number>;
}

const log = loggerFor('breached-passwords');

/** The longest one source may take for one password, whatever it does (a file on a hung disk too): then it is unavailable. */
export const SOURCE_DEADLINE_MS = 5000;

export class BreachedPasswords implements BreachedPasswordCheck {
  constructor(
    private readonly sources: readonly BreachedPasswordSource[] = [],
    private readonly deadlineMs = SOURCE_DEADLINE_MS,
  ) {}

  /** Whether any source was turned on. */
  get enabled(): boolean {
    return this.sources.length > 0;
  }

  /** True when a source knows the password; false when none does or none could answer (fail open). Never throws. */
  async isBreached(password: string): Promise<boolean> {
    const hashes = sha1Candidates(password);
    for (const source of this.sources) {
      try {
        const seen = await withinDeadline(this.deadlineMs, async () => {
          for (const hash of hashes) if ((await source.count(hash)) > 0) return true;
          return false;
        });
        breachedPasswordChecks.inc({ source: source.name, outcome: seen ? 'hit' : 'miss' });
        if (seen) return true;
      } catch (error) {
        breachedPasswordChecks.inc({ source: source.name, outcome: 'unavailable' });
        const known = error instanceof CredentialsError ? error : undefined;
        log.warn({ event: 'breached_password_check_unavailable', source: source.name, code: known?.code ?? 'unexpected', reason: known?.details.reason }, `breached-password source ${source.name} could not answer (${known?.message ?? String(error)}): the password is accepted (fail open)`);
      }
    }
    return false;
  }
}

async function withinDeadline<T>(deadlineMs: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CredentialsError('breached_passwords_unavailable', `no answer within ${deadlineMs} ms`, { reason: 'timeout' })), deadlineMs);
  });
  try {
    return await Promise.race([work(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The sources the settings turn on, checked now: an unreadable or malformed file, or an API URL
 * that is not https, stops the start with a clear error (CredentialsError breached_passwords_*).
 */
export async function openBreachedPasswords(settings?: BreachedPasswordsSettings): Promise<BreachedPasswords> {
  const sources: BreachedPasswordSource[] = [];
  if (settings?.file) {
    const file = await BreachedPasswordsFile.open(settings.file);
    sources.push({ name: 'file', count: (sha1) => file.count(sha1) });
  }
  if (settings?.api) {
    const api = new BreachedPasswordsRangeApi({ baseUrl: settings.api, timeoutMs: settings.apiTimeoutMs, maxBytes: RANGE_API_MAX_BYTES });
    sources.push({ name: 'range_api', count: (sha1) => api.count(sha1) });
  }
  // Two forms of one password may take two requests: the deadline never cuts what the API's own timeout allows.
  return new BreachedPasswords(sources, Math.max(SOURCE_DEADLINE_MS, 2 * (settings?.apiTimeoutMs ?? 0)));
}

/**
 * The SHA-1s looked up: the password as stored (NFKC, what will sign in) and, when it differs, as
 * typed (the lists hold passwords as their owners typed them). SHA-1 only because the lists are keyed
 * by it; nothing is stored. The plaintext never leaves the process.
 */
function sha1Candidates(password: string): string[] {
  const forms = new Set([normalizePassword(password), password]);
  return [...forms].map((form) => createHash('sha1').update(form, 'utf8').digest('hex').toUpperCase());
}
