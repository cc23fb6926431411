/** Polls `probe` until it holds; gives up after `limitMs` so a broken recovery fails instead of hanging. */
export async function waitUntil(probe: () => Promise<boolean>, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
