import { requestSlot, runWithRequestSlot } from '../../shared/request-context.js';
import { StorageUnavailableError } from '../storage-unavailable-error.js';

interface WatchScope {
  failed: boolean;
}

/**
 * Remembers, per HTTP request, whether any storage call failed with StorageUnavailableError.
 * oidc-provider and our interaction routes catch such errors and turn them into `server_error` or
 * "session expired" pages; the request-scoped flag lets the outer guard answer 503 regardless of
 * how (or whether) the failure was rethrown. The flag lives in the request's own scope
 * (shared/request-context.ts), keyed by this watch: no async-context store of its own per promise.
 */
export class StorageOutageWatch {
  /** Runs one request; resolves true if storage was unavailable at any point during it. */
  async watch(handle: () => Promise<void>): Promise<boolean> {
    const scope: WatchScope = { failed: false };
    await runWithRequestSlot(this, scope, handle);
    return scope.failed;
  }

  /** Runs one storage call and flags the current request if storage was unavailable. */
  async observe<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.report(error);
      throw error;
    }
  }

  /** Flags the current request when `error` says storage was unavailable (any other error is not an outage). */
  report(error: unknown): void {
    if (!(error instanceof StorageUnavailableError)) return;
    const scope = requestSlot(this) as WatchScope | undefined;
    if (scope) scope.failed = true;
  }
}
