import libraryStorage from 'oidc-provider/lib/helpers/als.js';
import { useRequestStorage } from '../shared/request-context.js';

/**
 * The provider process keeps its request context (request id, per-request slots) in oidc-provider's
 * own AsyncLocalStorage (the one behind Provider.ctx) instead of a second store. Every enabled store
 * is copied into every promise a request makes (~60 storage calls a login, each several promises):
 * one store instead of two costs a request ~7 µs less (docs/benchmarks.md, session 12). The value
 * stored is the koa context, as the library stores it itself, so Provider.ctx keeps its meaning.
 * An internal module of the library: if an upgrade moves it, this import fails at start, loudly.
 */
export function shareLibraryRequestStorage(): void {
  useRequestStorage(libraryStorage);
}
