import { TransportError } from '../card-transport.js';
import type { PcscBinding, PcscContext } from './pcsc-binding.js';

/** What `pcsclite()` returns beyond the facade: the listing loop the package starts on the next tick. */
interface RawPcscContext extends PcscContext {
  start(callback: (error: Error | undefined, readerNames: Buffer) => void): void;
  emit(event: 'readers-listed'): boolean;
}

/**
 * Loads the optional `pcsclite` package. Rejects with `pcsc_unavailable` when it is not installed
 * or its native part was not built (it is an optionalDependency: installs may legitimately lack it).
 */
export async function loadPcscLite(): Promise<PcscBinding> {
  let createContext: () => RawPcscContext;
  try {
    // A variable specifier, so compiling needs neither the package nor its types: the provider's
    // production image omits optional packages.
    const packageName = 'pcsclite';
    createContext = ((await import(packageName)) as { default: unknown }).default as () => RawPcscContext;
  } catch (error) {
    throw new TransportError(
      'pcsc_unavailable',
      'The optional package "pcsclite" is not installed or its native module is not built',
      {},
      { cause: error },
    );
  }
  return () => announceListings(createContext());
}

/**
 * The package lists readers asynchronously and emits nothing when the list is empty, so a caller
 * could never tell "no reader" from "not listed yet". Wrapping `start` (called by the package on
 * the next tick, so wrapping it now is in time) adds a 'readers-listed' event after every listing.
 */
function announceListings(context: RawPcscContext): PcscContext {
  const start = context.start.bind(context);
  context.start = (callback) =>
    start((error, readerNames) => {
      callback(error, readerNames);
      if (!error) context.emit('readers-listed');
    });
  return context;
}
