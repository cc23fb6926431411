import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair } from 'jose';
import { freePort } from '../../src/demo/free-port.js';
import { startChild } from './login-child.js';
import type { CryptoWork } from './login-floors.js';
import { httpRequest } from './login-http.js';
import { closedLoop } from './login-load.js';
import { clientAssertions, refreshGrant, RefreshTokenChains } from './refresh-grant.js';

const CLIENT_ID = 'bench-stock-client';
const CLIENT_KID = 'bench-stock-client-key';

/** Per refresh of the stock library: verify the client assertion (RS256), sign the ID token (`alg`); its tokens are opaque. */
export function stockRefreshCrypto(alg: 'RS256' | 'ES256'): CryptoWork {
  return alg === 'RS256' ? { rsaSigns: 1, rsaVerifies: 1, ecSigns: 0, ecVerifies: 0, encryptions: 0 } : { rsaSigns: 0, rsaVerifies: 1, ecSigns: 1, ecVerifies: 0, encryptions: 0 };
}

/** oidc-provider as it ships (`stock-provider.ts`), in its own process, with `sessions` refresh-token chains. */
export interface StockProvider {
  /** One saturated phase of `grants` refreshes; resolves with the library process's CPU ms per grant. */
  phase(grants: number): Promise<number>;
  stop(): Promise<void>;
}

export async function startStockProvider(alg: 'RS256' | 'ES256', sessions: number, concurrency: number): Promise<StockProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientKeys = await generateKeyPair('RS256', { extractable: true });
  const clientJwk = { ...(await exportJWK(clientKeys.publicKey)), kid: CLIENT_KID, alg: 'RS256', use: 'sig' };
  const script = fileURLToPath(new URL('./stock-provider.js', import.meta.url));
  const child = await startChild(process.execPath, [script], { PORT: String(port), TOKEN_ALG: alg, CLIENT_ID, CLIENT_JWK: JSON.stringify(clientJwk) }, /listening/);
  try {
    const seeded = await httpRequest(new URL(`/seed?count=${sessions}`, issuer));
    if (seeded.status !== 200) throw new Error(`stock provider: seeding failed: ${seeded.body}`);
    const chains = new RefreshTokenChains(JSON.parse(seeded.body) as string[]);
    const identity = { clientId: CLIENT_ID, issuer, signing: { key: clientKeys.privateKey, kid: CLIENT_KID } };
    const tokenUrl = new URL('/token', issuer);
    const phase = async (grants: number) => {
      const assertions = await clientAssertions(identity, grants);
      const cpu = child.cpuSeconds();
      const run = await closedLoop(assertions, concurrency, (assertion) => refreshGrant(tokenUrl, CLIENT_ID, chains, assertion));
      if (run.failures > 0) throw new Error(`stock provider: ${run.failures} failed refreshes, first: ${run.firstFailure}`);
      return (1000 * (child.cpuSeconds() - cpu)) / run.results.length;
    };
    await phase(200); // JIT warm-up, as the provider under test is warmed
    return { phase, stop: () => child.stop() };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
