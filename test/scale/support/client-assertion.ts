import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { LocalStack } from '../../../src/demo/local-stack.js';

/** A private_key_jwt form body for the demo RP, for raw requests to token/introspection/revocation. */
export async function clientAuthForm(stack: LocalStack, extra: Record<string, string>): Promise<URLSearchParams> {
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'RS256', kid: stack.rp.keys.signing.kid })
    .setIssuer(stack.rp.clientId)
    .setSubject(stack.rp.clientId)
    .setAudience(stack.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(stack.rp.keys.signing.key);
  return new URLSearchParams({
    client_id: stack.rp.clientId,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
    ...extra,
  });
}
