import { jest } from '@jest/globals';
import { SessionEventHub } from '../../src/sign-in/smartphone/session-event-hub.js';
import { SmartphoneSessions } from '../../src/sign-in/smartphone/smartphone-sessions.js';
import { DEFAULT_SMARTPHONE_SETTINGS } from '../../src/sign-in/smartphone/smartphone-settings.js';
import { ChallengeStore } from '../../src/cie/challenge-store.js';
import { BINDING, ORIGIN, assertionFor, challengeOnlyVerifier, codeOf, phoneHarness } from './support/phone-harness.js';

/** A stream's written text, and whether the hub ended it. */
function sink() {
  const lines: string[] = [];
  const state = { ended: false };
  return { lines, state, write: (text: string) => void lines.push(text), end: () => void (state.ended = true) };
}

const eventsIn = (lines: string[]) =>
  lines.filter((l) => l.startsWith('id: ')).map((l) => ({ id: Number(/^id: (\d+)/.exec(l)![1]), data: JSON.parse(/data: (.*)\n/.exec(l)![1]!) as { state: string; code?: string } }));

const hubOver = (sessions: SmartphoneSessions, limits: { maxSubscribers?: number; maxSubscribersPerSession?: number; heartbeatSeconds?: number } = {}) =>
  new SessionEventHub({
    readState: (id) => sessions.state(id),
    maxSubscribers: limits.maxSubscribers ?? 100,
    maxSubscribersPerSession: limits.maxSubscribersPerSession ?? 4,
    heartbeatSeconds: limits.heartbeatSeconds ?? 0,
    refreshSeconds: 0,
  });

describe('server push to the desktop page', () => {
  test('each state is pushed once, with its sequence number as the event id; a final state ends the stream', async () => {
    const h = phoneHarness();
    const hub = hubOver(h.sessions);
    const started = await h.sessions.start({ binding: BINDING, mode: 'cross_device', requester: 'Comune' });
    const page = sink();
    await hub.subscribe(started.sessionId, page);
    expect(page.lines[0]).toMatch(/^retry: \d+\n\n$/);
    const opened = await h.sessions.open({ qr: started.qrNonce });
    await hub.notify(started.sessionId);
    await hub.notify(started.sessionId);
    const result = await h.sessions.acceptAssertion(opened.appToken, assertionFor(opened.challenge));
    await hub.notify(started.sessionId);
    await h.sessions.confirm(started.sessionId, started.browserSecret, (result as { otp: string }).otp);
    await hub.notify(started.sessionId);
    expect(eventsIn(page.lines).map((e) => [e.id, e.data.state])).toEqual([[1, 'waiting_for_app'], [2, 'app_opened'], [3, 'assertion_verified'], [4, 'otp_confirmed']]);
    expect(page.state.ended).toBe(true);
    expect(hub.size).toBe(0);
    // No event carries a secret or a personal datum.
    expect(page.lines.join('')).not.toMatch(/RSSMRA|otp"|[A-Za-z0-9_-]{43}/);
    hub.close();
  });

  test('a page that reconnects with Last-Event-ID gets only the states it missed, read back from the store', async () => {
    const h = phoneHarness();
    const hub = hubOver(h.sessions);
    const started = await h.sessions.start({ binding: BINDING, mode: 'cross_device', requester: 'Comune' });
    const first = sink();
    const closeFirst = await hub.subscribe(started.sessionId, first);
    const opened = await h.sessions.open({ qr: started.qrNonce });
    await hub.notify(started.sessionId);
    closeFirst(); // the connection drops
    await h.sessions.acceptAssertion(opened.appToken, assertionFor(opened.challenge));
    await hub.notify(started.sessionId); // nobody listens

    const again = sink();
    await hub.subscribe(started.sessionId, again, '2');
    expect(eventsIn(again.lines).map((e) => e.data.state)).toEqual(['assertion_verified']);
    const upToDate = sink();
    await hub.subscribe(started.sessionId, upToDate, '3');
    expect(eventsIn(upToDate.lines)).toEqual([]);
    const garbage = sink();
    await hub.subscribe(started.sessionId, garbage, 'not-a-number');
    expect(eventsIn(garbage.lines).map((e) => e.id)).toEqual([3]);
    hub.close();
  });

  test('a change made by another provider instance reaches the stream at the next refresh (state is re-read, not kept)', async () => {
    const h = phoneHarness();
    // Instance B: its own sessions object and hub over the same store.
    const challengesB = new ChallengeStore(h.store, 300, () => h.clock.now);
    const instanceB = new SmartphoneSessions({ store: h.store, challenges: challengesB, verify: challengeOnlyVerifier(challengesB), settings: DEFAULT_SMARTPHONE_SETTINGS, origin: ORIGIN, now: () => h.clock.now });
    const hubA = hubOver(h.sessions);
    const hubB = hubOver(instanceB);
    const started = await h.sessions.start({ binding: BINDING, mode: 'cross_device', requester: 'Comune' });
    const page = sink();
    await hubA.subscribe(started.sessionId, page);
    await instanceB.open({ qr: started.qrNonce });
    await hubB.notify(started.sessionId); // B has no stream of this session
    expect(eventsIn(page.lines).map((e) => e.data.state)).toEqual(['waiting_for_app']);
    await hubA.refreshAll();
    expect(eventsIn(page.lines).map((e) => e.data.state)).toEqual(['waiting_for_app', 'app_opened']);
    hubA.close();
    hubB.close();
  });

  test('a refresh round reads each session once, however many streams it has; a session that ended is not read again', async () => {
    const h = phoneHarness();
    const reads: string[] = [];
    const hub = new SessionEventHub({
      readState: (id) => {
        reads.push(id);
        return h.sessions.state(id);
      },
      maxSubscribers: 100,
      maxSubscribersPerSession: 4,
      heartbeatSeconds: 0,
      refreshSeconds: 0,
    });
    const tabs = await h.sessions.start({ binding: BINDING, mode: 'cross_device', requester: 'Comune' });
    const other = await h.sessions.start({ binding: BINDING, mode: 'cross_device', requester: 'Comune' });
    const pages = [sink(), sink(), sink(), sink()];
    for (const page of pages.slice(0, 3)) await hub.subscribe(tabs.sessionId, page);
    await hub.subscribe(other.sessionId, pages[3]!);
    expect(hub.sessionCount).toBe(2);

    reads.length = 0;
    await h.sessions.open({ qr: tabs.qrNonce });
    await hub.refreshAll();
    expect(reads.sort()).toEqual([tabs.sessionId, other.sessionId].sort());
    for (const page of pages.slice(0, 3)) expect(eventsIn(page.lines).map((e) => e.data.state)).toEqual(['waiting_for_app', 'app_opened']);

    // A notification of this process: one read for the session's three streams.
    reads.length = 0;
    await hub.notify(tabs.sessionId);
    expect(reads).toEqual([tabs.sessionId]);
    // A session in a final state: its stream ends, and later rounds skip it.
    reads.length = 0;
    await h.sessions.cancel(other.sessionId, other.browserSecret);
    await hub.notify(other.sessionId);
    expect(reads).toEqual([other.sessionId]);
    expect(pages[3]!.state.ended).toBe(true);
    reads.length = 0;
    await hub.refreshAll();
    expect(reads).toEqual([tabs.sessionId]);
    expect(hub.sessionCount).toBe(1);
    hub.close();
  });

  test('streams are bounded per session and per process', async () => {
    const h = phoneHarness();
    const hub = hubOver(h.sessions, { maxSubscribers: 3, maxSubscribersPerSession: 2 });
    const a = await h.sessions.start({ binding: BINDING, mode: 'cross_device', requester: 'Comune' });
    const b = await h.sessions.start({ binding: BINDING, mode: 'cross_device', requester: 'Comune' });
    const c = await h.sessions.start({ binding: BINDING, mode: 'cross_device', requester: 'Comune' });
    await hub.subscribe(a.sessionId, sink());
    const closeSecond = await hub.subscribe(a.sessionId, sink());
    expect(await codeOf(hub.subscribe(a.sessionId, sink()))).toBe('too_many_streams');
    await hub.subscribe(b.sessionId, sink());
    expect(await codeOf(hub.subscribe(c.sessionId, sink()))).toBe('too_many_streams');
    closeSecond();
    await hub.subscribe(c.sessionId, sink());
    expect(hub.size).toBe(3);
    hub.close();
    expect(hub.size).toBe(0);
  });

  test('an idle stream gets a heartbeat comment at each interval', async () => {
    jest.useFakeTimers();
    try {
      const h = phoneHarness();
      const hub = hubOver(h.sessions, { heartbeatSeconds: 20 });
      const started = await h.sessions.start({ binding: BINDING, mode: 'cross_device', requester: 'Comune' });
      const page = sink();
      await hub.subscribe(started.sessionId, page);
      jest.advanceTimersByTime(40_000);
      expect(page.lines.filter((l) => l === ': ping\n\n')).toHaveLength(2);
      hub.close();
    } finally {
      jest.useRealTimers();
    }
  });

  test('an expired session is pushed as expired and the stream ends', async () => {
    const h = phoneHarness({ waitingSeconds: 60 });
    const hub = hubOver(h.sessions);
    const started = await h.sessions.start({ binding: BINDING, mode: 'cross_device', requester: 'Comune' });
    const page = sink();
    await hub.subscribe(started.sessionId, page);
    h.advance(60);
    await hub.refreshAll();
    expect(eventsIn(page.lines).map((e) => e.data)).toEqual([expect.objectContaining({ state: 'waiting_for_app' }), { state: 'expired', code: 'session_expired' }]);
    expect(page.state.ended).toBe(true);
    hub.close();
  });
});
