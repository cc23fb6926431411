import { readBoundedBody } from '../shared/read-bounded-body.js';
import { CredentialsError } from './credentials-error.js';

/**
 * The k-anonymity range API of Pwned Passwords (haveibeenpwned.com/API/v3#SearchingPwnedPasswordsByRange;
 * the public one is https://api.pwnedpasswords.com): `GET <base>/range/<first 5 hex digits of the
 * SHA-1>` answers every known suffix of that prefix as `SUFFIX:COUNT` lines; the suffix is compared
 * here. Only the 5-digit prefix leaves the provider (one of 16^5 buckets of hundreds of hashes each),
 * and `Add-Padding: true` makes every answer about the same size (padded lines have count 0), so the
 * answer's length does not tell the bucket either.
 *
 * Written by hand, not with the `hibp` package (wKovacs64/hibp, `pwnedPasswordRange`): it has the
 * base URL, padding and a timeout, but reads the whole answer with `response.text()`, with no bound on
 * its size, and this project bounds every fetch in time and size. The client is a few lines.
 */
export interface RangeApiSettings {
  /** `https://…`, or `http://` on a loopback host (tests); a path is kept (a proxy). */
  baseUrl: string;
  /** The whole exchange, headers and body. */
  timeoutMs: number;
  /** The largest answer read (RANGE_API_MAX_BYTES: room above a bucket of today's list, about 60 KiB). */
  maxBytes: number;
}

const ANSWER_LINE = /^([0-9A-Fa-f]{35}):(\d{1,12})$/;

export class BreachedPasswordsRangeApi {
  private readonly base: URL;

  constructor(private readonly settings: RangeApiSettings) {
    this.base = rangeApiBase(settings.baseUrl);
  }

  /** How many times the SHA-1 (40 upper-case hex digits) was seen in breaches; 0 when absent or padding. */
  async count(sha1: string): Promise<number> {
    const suffix = sha1.slice(5);
    for (const raw of (await this.range(sha1.slice(0, 5))).split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      const match = ANSWER_LINE.exec(line);
      if (!match) throw unavailable('malformed', 'an answer line is not SUFFIX:COUNT');
      if (match[1]!.toUpperCase() === suffix) return Number(match[2]);
    }
    return 0;
  }

  private async range(prefix: string): Promise<string> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.settings.timeoutMs);
    try {
      const response = await fetch(new URL(`range/${prefix}`, this.base), {
        redirect: 'error',
        signal: controller.signal,
        headers: { 'add-padding': 'true', accept: 'text/plain', 'user-agent': 'entra-con-cie' },
      });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw unavailable('status', `HTTP ${response.status}`);
      }
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (declared > this.settings.maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        throw unavailable('too_large', `an answer of ${declared} bytes`);
      }
      const maxBytes = this.settings.maxBytes;
      return (await readBoundedBody(response, maxBytes, () => unavailable('too_large', `an answer over ${maxBytes} bytes`))).toString('latin1');
    } catch (error) {
      if (error instanceof CredentialsError) throw error;
      if (controller.signal.aborted) throw unavailable('timeout', `no complete answer within ${this.settings.timeoutMs} ms`);
      throw unavailable('network', String((error as Error)?.cause ?? error));
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The base URL checked at start: https, or plain http to a loopback host only; no credentials in it. */
export function rangeApiBase(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new CredentialsError('breached_passwords_config', `BREACHED_PASSWORDS_API ${baseUrl} is not a URL`);
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname);
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) || url.username || url.password || url.search) {
    throw new CredentialsError('breached_passwords_config', `BREACHED_PASSWORDS_API ${baseUrl} must be an https URL (plain http only to a loopback host), without credentials or query`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function unavailable(reason: 'malformed' | 'status' | 'too_large' | 'timeout' | 'network', message: string): CredentialsError {
  return new CredentialsError('breached_passwords_unavailable', `the range API: ${message}`, { reason });
}
