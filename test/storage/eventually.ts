/**
 * Polls `probe` until it returns true. Used to observe real expiry without asserting how long it
 * took; the deadline only stops a broken implementation from looping forever.
 */
export async function eventually(probe: () => Promise<boolean>, deadlineMs = 15_000): Promise<void> {
  const giveUpAt = Date.now() + deadlineMs;
  while (!(await probe())) {
    if (Date.now() > giveUpAt) throw new Error('condition never became true');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
