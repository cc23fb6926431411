import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line written while serving one request carries, and what other rooms keep per request. */
export interface RequestContext {
  requestId: string | undefined;
  /** Per-request values of other rooms (the storage outage watch), each under its own key. */
  readonly slots: Map<object, unknown>;
}

/**
 * The process's one request-scoped store. Each AsyncLocalStorage copies its value into every promise
 * and callback created while it is active (oidc-provider runs one too): the request id and the
 * storage outage flag share this one rather than paying for a store each on every promise.
 */
const context = new AsyncLocalStorage<RequestContext>();

/**
 * A caller's `x-request-id` is kept only when it is a short token of safe characters (so it can
 * neither forge log fields nor smuggle a secret of any length into every line); otherwise one is made.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function acceptedRequestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
}

export function runInRequest<T>(requestId: string, work: () => T): T {
  return context.run({ requestId, slots: new Map() }, work);
}

export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}

/**
 * A value kept for the rest of the current request under `key` (the request's scope when there is
 * one: requestLogging's, which is outermost). Outside any request, or when the key already holds a
 * value (a nested run), `work` gets a scope of its own that inherits the request id.
 */
export function runWithRequestSlot<T>(key: object, value: unknown, work: () => T): T {
  const current = context.getStore();
  if (current && !current.slots.has(key)) {
    current.slots.set(key, value);
    return work();
  }
  return context.run({ requestId: current?.requestId, slots: new Map([...(current?.slots ?? []), [key, value]]) }, work);
}

export function requestSlot(key: object): unknown {
  return context.getStore()?.slots.get(key);
}
