import { AsyncLocalStorage } from 'node:async_hooks';
import { StorageUnavailableError } from '../storage-unavailable-error.js';

/**
 * Remembers, per HTTP request, whether any storage call failed with StorageUnavailableError.
 * oidc-provider and our interaction routes catch such errors and turn them into `server_error` or
 * "session expired" pages; the request-scoped flag lets the outer guard answer 503 regardless of
 * how (or whether) the failure was rethrown.
 */
export class StorageOutageWatch {
  readonly #requests = new AsyncLocalStorage<{ failed: boolean }>();

  /** Runs one request; resolves true if storage was unavailable at any point during it. */
  async watch(handle: () => Promise<void>): Promise<boolean> {
    const scope = { failed: false };
    await this.#requests.run(scope, handle);
    return scope.failed;
  }

  /** Runs one storage call and flags the current request if storage was unavailable. */
  async observe<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof StorageUnavailableError) {
        const scope = this.#requests.getStore();
        if (scope) scope.failed = true;
      }
      throw error;
    }
  }
}
