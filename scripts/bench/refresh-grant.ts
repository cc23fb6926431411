import { clientAssertion, clientAuthFields, type ClientIdentity } from './login-client-auth.js';
import { httpRequest } from './login-http.js';

/**
 * The sessions' current refresh tokens. The provider rotates refresh tokens (each grant consumes
 * the one it was given and returns a new one), so one session refreshes one request at a time.
 */
export class RefreshTokenChains {
  readonly #free: string[];
  readonly #waiting: ((token: string) => void)[] = [];

  constructor(tokens: string[]) {
    this.#free = [...tokens];
  }

  async next(use: (token: string) => Promise<string>): Promise<void> {
    const token = this.#free.pop() ?? (await new Promise<string>((resolve) => this.#waiting.push(resolve)));
    let current = token;
    try {
      current = await use(token);
    } finally {
      const waiter = this.#waiting.shift();
      if (waiter) waiter(current);
      else this.#free.push(current);
    }
  }
}

/** Client assertions made before the timed run (their RS256 signing is the load generator's cost, not the provider's). */
export async function clientAssertions(client: ClientIdentity, count: number): Promise<string[]> {
  const made: string[] = [];
  for (let i = 0; i < count; i += 1) made.push(await clientAssertion(client));
  return made;
}

/** One refresh-token request at `tokenUrl` (private_key_jwt): its latency in ms and the rotated refresh token, if any. */
export async function exchangeRefreshToken(tokenUrl: URL, clientId: string, refreshToken: string, assertion: string): Promise<{ latency: number; refreshToken?: string }> {
  const began = performance.now();
  const answer = await httpRequest(tokenUrl, {
    method: 'POST',
    headers: { accept: 'application/json' },
    form: { grant_type: 'refresh_token', refresh_token: refreshToken, ...clientAuthFields(assertion, clientId) },
  });
  const latency = performance.now() - began;
  const body = JSON.parse(answer.body) as { access_token?: string; refresh_token?: string; error?: string };
  if (answer.status !== 200 || !body.access_token) throw new Error(`refresh: HTTP ${answer.status} ${body.error}`);
  return { latency, ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}) };
}

/** One refresh-token grant on one of the chains; resolves with its latency in ms. */
export async function refreshGrant(tokenUrl: URL, clientId: string, chains: RefreshTokenChains, assertion: string): Promise<number> {
  let latency = 0;
  await chains.next(async (refreshToken) => {
    const answer = await exchangeRefreshToken(tokenUrl, clientId, refreshToken, assertion);
    latency = answer.latency;
    return answer.refreshToken ?? refreshToken;
  });
  return latency;
}
