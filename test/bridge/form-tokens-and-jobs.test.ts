import { CardJobs } from '../../src/bridge/card-jobs.js';
import { FormTokens } from '../../src/bridge/form-token.js';

describe('form tokens of the card pages', () => {
  test('valid for their own form for 30 minutes, then refused', () => {
    let now = 1_000_000;
    const tokens = new FormTokens(() => now);
    const token = tokens.issue('pin-change');
    expect(tokens.valid('pin-change', token)).toBe(true);
    expect(tokens.valid('pin-unblock', token)).toBe(false);
    now += 30 * 60 * 1000;
    expect(tokens.valid('pin-change', token)).toBe(true);
    now += 1;
    expect(tokens.valid('pin-change', token)).toBe(false);
  });

  test('another process’s token, a forged time or garbage is refused', () => {
    const token = new FormTokens().issue('pin-change');
    expect(new FormTokens().valid('pin-change', token)).toBe(false);
    const tokens = new FormTokens();
    const [, mac] = tokens.issue('pin-change').split('.');
    expect(tokens.valid('pin-change', `${(Date.now() + 1000).toString(36)}.${mac}`)).toBe(false);
    for (const garbage of ['', '.', 'a.b.c', 'zzzzzzzzzzzzzz.x']) expect(tokens.valid('pin-change', garbage)).toBe(false);
  });
});

describe('card jobs', () => {
  test('one job per sign-in: a double submit joins the running job', async () => {
    const jobs = new CardJobs<string>();
    let finish!: (value: string) => void;
    const card = new Promise<string>((resolve) => (finish = resolve));
    let runs = 0;
    const run = () => {
      runs += 1;
      return card;
    };
    const first = jobs.start('sign-in-1', run);
    const second = jobs.start('sign-in-1', run);
    expect(second).toBe(first);
    finish('signed');
    await first.done;
    expect(runs).toBe(1);
    // Once finished, a new submit for the same sign-in starts afresh and the old outcome is gone.
    const third = jobs.start('sign-in-1', async () => 'again');
    expect(third).not.toBe(first);
    expect(jobs.get(first.id)).toBeUndefined();
  });

  test('steps are recorded as the card reports them; the outcome is handed out once', async () => {
    const jobs = new CardJobs<string>();
    const job = jobs.start('sign-in-2', async (onStep) => {
      onStep('card_found');
      onStep('secure_channel');
      throw new Error('card pulled');
    });
    const taken = await jobs.take(job.id);
    expect(taken?.steps).toEqual(['card_found', 'secure_channel']);
    expect(taken?.outcome).toMatchObject({ ok: false });
    expect(await jobs.take(job.id)).toBeUndefined();
  });

  test('a finished job nobody fetched is forgotten after 5 minutes', async () => {
    let now = 0;
    const jobs = new CardJobs<string>(() => now);
    const job = jobs.start('sign-in-3', async () => 'signed');
    await job.done;
    now += 5 * 60 * 1000 - 1;
    expect(jobs.get(job.id)).toBe(job);
    now += 1;
    expect(jobs.get(job.id)).toBeUndefined();
  });
});
