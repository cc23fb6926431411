import { readBoundedBody } from '../../shared/read-bounded-body.js';
import { AssertionError } from '../verify/assertion-error.js';

export interface FetchLimits {
  fetch: typeof fetch;
  timeoutMs: number;
  maxBytes: number;
}

function unavailable(message: string, cause?: unknown): AssertionError {
  return new AssertionError('revocation_unavailable', message, {}, cause === undefined ? undefined : { cause });
}

/** HTTP with a timeout and a body size limit; every failure means "no answer" (revocation_unavailable). */
export async function fetchBytes(url: string, init: RequestInit, limits: FetchLimits): Promise<Uint8Array<ArrayBuffer>> {
  let response: Response;
  try {
    response = await limits.fetch(url, { ...init, signal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (error) {
    throw unavailable(`revocation service unreachable: ${url}`, error);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw unavailable(`revocation service answered HTTP ${response.status}: ${url}`);
  }
  const tooLarge = () => unavailable(`revocation response larger than ${limits.maxBytes} bytes: ${url}`);
  const declared = Number(response.headers.get('content-length'));
  if (declared > limits.maxBytes) {
    await response.body.cancel();
    throw tooLarge();
  }
  try {
    return Uint8Array.from(await readBoundedBody(response, limits.maxBytes, tooLarge));
  } catch (error) {
    throw error instanceof AssertionError ? error : unavailable(`revocation response interrupted: ${url}`, error);
  }
}
