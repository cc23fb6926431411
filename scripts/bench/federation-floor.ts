import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import type { FederationFetcher } from '../../src/federation/bounded-fetch.js';
import type { FederationJwks } from '../../src/federation/entity-statement.js';

/** One federation request as the resolver made it, to be made again by the floor. */
export interface RecordedRequest {
  url: string;
  method: 'GET' | 'POST';
  accept: string;
  form?: Record<string, string>;
}

/** The fetcher, with every request it is asked to make written down. */
export function recordingFetcher(inner: FederationFetcher): { fetcher: FederationFetcher; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetcher: FederationFetcher = (url, init) => {
    requests.push({ url, method: init.method ?? 'GET', accept: init.accept, ...(init.form ? { form: init.form } : {}) });
    return inner(url, init);
  };
  return { fetcher, requests };
}

const isCompactJws = (text: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(text);

/**
 * What no resolver can avoid: the same requests for the same documents (plain `fetch`, no size or
 * time bound), then ONE jose `jwtVerify` of each signed document and of the leaf's trust marks, with
 * the key its `kid` names among the keys the documents carry and the configured anchor keys. No
 * typ/iss/sub checks, no key binding check, no policy, no constraints. Returns the JWTs verified.
 */
export async function floorResolution(requests: readonly RecordedRequest[], anchorJwks: FederationJwks): Promise<number> {
  const documents: string[] = [];
  for (const request of requests) {
    const answer = await fetch(request.url, {
      method: request.method,
      headers: { accept: request.accept, ...(request.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(request.form ? { body: new URLSearchParams(request.form).toString() } : {}),
    });
    if (!answer.ok) throw new Error(`floor: HTTP ${answer.status} from ${request.url}`);
    documents.push((await answer.text()).trim());
  }
  const signed = documents.filter(isCompactJws);
  const claims = signed.map((jwt) => decodeJwt(jwt));
  const keys = new Map<string, JWK>();
  for (const jwks of [anchorJwks, ...claims.map((claim) => claim.jwks as FederationJwks | undefined)]) {
    for (const key of jwks?.keys ?? []) if (typeof key.kid === 'string') keys.set(key.kid, key);
  }
  const leafTrustMarks = ((claims[0]?.trust_marks ?? []) as { trust_mark?: unknown }[]).map((entry) => entry.trust_mark).filter((jwt): jwt is string => typeof jwt === 'string');
  const toVerify = [...signed, ...leafTrustMarks];
  for (const jwt of toVerify) {
    const { kid, alg } = decodeProtectedHeader(jwt);
    const jwk = kid === undefined ? undefined : keys.get(kid);
    if (!jwk || !alg) throw new Error(`floor: no key for kid ${String(kid)}`);
    await jwtVerify(jwt, await importJWK(jwk, alg));
  }
  return toVerify.length;
}
