import { createCipheriv, createHmac, generateKeyPairSync, publicEncrypt, randomBytes, sign, verify, constants } from 'node:crypto';
import { freePort } from '../../src/demo/free-port.js';
import { fileURLToPath } from 'node:url';
import { startChild } from './login-child.js';
import { httpRequest } from './login-http.js';
import { closedLoop } from './login-load.js';

/** The provider's own cryptography per unit of work (a login, a refresh), by operation. */
export interface CryptoWork {
  /** RSA-2048 PKCS#1 v1.5 signatures (ID token, signed userinfo). */
  rsaSigns: number;
  /** RSA-2048 verifications (request object, card signature, certificate chain, client assertion). */
  rsaVerifies: number;
  /** RSA-OAEP key wrapping plus A256CBC-HS512 content encryption of ~1 KB (encrypted userinfo). */
  encryptions: number;
}

/** Units per second on one core if the provider did nothing but this cryptography with node:crypto. */
export function cryptoFloor(work: CryptoWork, durationMs = 2000): number {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const input = randomBytes(700);
  const signature = sign('sha256', input, privateKey);
  const once = () => {
    for (let i = 0; i < work.rsaSigns; i += 1) sign('sha256', input, privateKey);
    for (let i = 0; i < work.rsaVerifies; i += 1) {
      if (!verify('sha256', input, publicKey, signature)) throw new Error('floor: verification failed');
    }
    for (let i = 0; i < work.encryptions; i += 1) {
      const key = randomBytes(64);
      publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, key);
      const cipher = createCipheriv('aes-256-cbc', key.subarray(32), randomBytes(16));
      const encrypted = Buffer.concat([cipher.update(input), cipher.update(input), cipher.final()]);
      createHmac('sha512', key.subarray(0, 32)).update(encrypted).digest();
    }
  };
  once();
  let units = 0;
  const began = performance.now();
  while (performance.now() - began < durationMs) {
    once();
    units += 1;
  }
  return (units * 1000) / (performance.now() - began);
}

/**
 * Units per second when each unit is `roundTrips` sequential GETs to a bare koa route in its own
 * process, with the same client concurrency: what the HTTP stack alone allows.
 */
export async function bareKoaFloor(roundTrips: number, units: number, concurrency: number): Promise<number> {
  const port = await freePort();
  const script = fileURLToPath(new URL('./login-bare-koa.js', import.meta.url));
  const koa = await startChild(process.execPath, [script], { PORT: String(port) }, /listening/);
  try {
    const url = new URL(`http://127.0.0.1:${port}/`);
    const run = await closedLoop(Array.from({ length: units }, (_, i) => i), concurrency, async () => {
      for (let i = 0; i < roundTrips; i += 1) await httpRequest(url);
    });
    if (run.failures > 0) throw new Error(`bare koa floor: ${run.firstFailure}`);
    return run.perSecond;
  } finally {
    await koa.stop();
  }
}
