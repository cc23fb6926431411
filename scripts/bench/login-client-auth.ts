import { randomUUID } from 'node:crypto';
import { SignJWT, type CryptoKey } from 'jose';

export interface ClientIdentity {
  clientId: string;
  issuer: string;
  signing: { key: CryptoKey; kid: string };
}

/** A private_key_jwt client assertion (RS256, unique jti); made ahead of a timed run so the load generator's signing is not measured. */
export async function clientAssertion(client: ClientIdentity): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'RS256', kid: client.signing.kid })
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(client.issuer)
    .setIssuedAt(now)
    // The provider refuses client assertions living longer than 300 s (jwt-time-limits.ts).
    .setExpirationTime(now + 300)
    .sign(client.signing.key);
}

export function clientAuthFields(assertion: string, clientId: string): Record<string, string> {
  return { client_id: clientId, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion };
}
