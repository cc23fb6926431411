import { CodedError } from '../../shared/coded-error.js';

export type AppClientErrorCode = 'bad_link' | 'provider_refused' | 'provider_unreachable' | 'bad_answer';
/** The provider refused, could not be reached, or answered something the app does not accept. */
export class AppClientError extends CodedError<AppClientErrorCode> {}

const TIMEOUT_MS = 15_000;
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One app call: JSON posted to the provider, its JSON answer, bounded in time and size and never
 * redirected. A refusal is `provider_refused` with the provider's `error` code and its words
 * (`error_description` for the smartphone endpoints, `message` for the app-factor ones).
 */
export async function postJson(url: string, body: unknown, fetchImpl: typeof fetch = fetch): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
  } catch (cause) {
    throw new AppClientError('provider_unreachable', `cannot reach ${url}`, {}, { cause });
  }
  const text = await response.text();
  if (text.length > MAX_ANSWER_BYTES) throw new AppClientError('bad_answer', 'answer too large');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppClientError('bad_answer', `answer is not JSON (HTTP ${response.status})`);
  }
  const record = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (!response.ok) throw new AppClientError('provider_refused', String(record.error_description ?? record.message ?? response.status), { error: record.error, retryable: record.retryable === true, status: response.status });
  return record;
}
