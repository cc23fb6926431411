import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line written while serving one request carries, and what other rooms keep per request. */
export interface RequestContext {
  requestId: string | undefined;
  /** Per-request values of other rooms (the storage outage watch), each under its own key. */
  readonly slots: Map<object, unknown>;
}

/** Where a request's context sits on the object its async storage holds (a koa context, or a plain carrier). */
const REQUEST_CONTEXT = Symbol('request context');
type Carrier = { [REQUEST_CONTEXT]?: RequestContext };

/**
 * The process's one request-scoped store. Each AsyncLocalStorage copies its value into every promise
 * and callback created while it is active: the provider process uses oidc-provider's own store
 * (useRequestStorage, from oidc/library-request-storage.ts) rather than paying for a second one on
 * every promise; the other processes (bridge, trust anchor) use this one.
 */
let storage = new AsyncLocalStorage<object>();

/**
 * Holds requests in `shared` from now on. The value stored stays whatever the caller of runInRequest
 * hands as the carrier (the koa context, as oidc-provider stores it itself), so the library's readers
 * of that store find what they expect.
 */
export function useRequestStorage(shared: AsyncLocalStorage<unknown>): void {
  storage = shared as AsyncLocalStorage<object>;
}

/**
 * A caller's `x-request-id` is kept only when it is a short token of safe characters (so it can
 * neither forge log fields nor smuggle a secret of any length into every line); otherwise one is made.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function acceptedRequestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** Runs `work` as the request `requestId`, its context kept on `carrier` (the koa context of that request). */
export function runInRequest<T>(requestId: string, work: () => T, carrier: object = {}): T {
  (carrier as Carrier)[REQUEST_CONTEXT] = { requestId, slots: new Map() };
  return storage.run(carrier, work);
}

function currentContext(): RequestContext | undefined {
  return (storage.getStore() as Carrier | undefined)?.[REQUEST_CONTEXT];
}

export function currentRequestId(): string | undefined {
  return currentContext()?.requestId;
}

/**
 * A value kept for the rest of the current request under `key` (the request's scope when there is
 * one: requestLogging's, which is outermost). Outside any request, or when the key already holds a
 * value (a nested run), `work` gets a scope of its own that inherits the request id; its carrier
 * inherits from the store's current value, so a reader of that value (oidc-provider's Provider.ctx)
 * still finds the request's koa context.
 */
export function runWithRequestSlot<T>(key: object, value: unknown, work: () => T): T {
  const current = currentContext();
  if (current && !current.slots.has(key)) {
    current.slots.set(key, value);
    return work();
  }
  const carrier = Object.create(storage.getStore() ?? null) as Carrier;
  carrier[REQUEST_CONTEXT] = { requestId: current?.requestId, slots: new Map([...(current?.slots ?? []), [key, value]]) };
  return storage.run(carrier, work);
}

export function requestSlot(key: object): unknown {
  return currentContext()?.slots.get(key);
}
