import type { PcscCallback } from './pcsc-binding.js';

/**
 * Runs one callback-style binding call as a promise that settles at the latest after `timeoutMs`
 * (the native call itself cannot be cancelled; its late answer is ignored).
 */
export function callWithTimeout<T>(
  invoke: (callback: PcscCallback<T>) => void,
  timeoutMs: number,
  onTimeout: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), timeoutMs);
    // A call abandoned early (card removed) must not keep the process alive until its deadline.
    timer.unref();
    const settle: PcscCallback<T> = (error, value) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(value);
    };
    try {
      invoke(settle);
    } catch (error) {
      settle(error instanceof Error ? error : new Error(String(error)), undefined as T);
    }
  });
}
