import Koa from 'koa';
import Router from '@koa/router';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDeviceAuthKeys } from '../../../src/card/index.js';
import { ChallengeStore } from '../../../src/cie/challenge-store.js';
import { createRevocationChecker } from '../../../src/cie/revocation/index.js';
import { CIE_AUTHENTICATION_POLICY, createAssertionVerifier, type AuditEvent } from '../../../src/cie/verify/index.js';
import { closeNow, listen } from '../../../src/shared/http-server.js';
import { freePort } from '../../../src/shared/free-port.js';
import type { SignInBinding, SignInWaiters } from '../../../src/sign-in/sign-in-binding.js';
import { appAssertionVerifier } from '../../../src/sign-in/app-assertion-verifier.js';
import { SessionEventHub } from '../../../src/sign-in/smartphone/session-event-hub.js';
import { smartphoneSignInMethod } from '../../../src/sign-in/smartphone/smartphone-sign-in-method.js';
import { smartphoneRoutes } from '../../../src/sign-in/smartphone/smartphone-routes.js';
import { SmartphoneSessions } from '../../../src/sign-in/smartphone/smartphone-sessions.js';
import { DEFAULT_SMARTPHONE_SETTINGS } from '../../../src/sign-in/smartphone/smartphone-settings.js';
import type { VerifiedCitizen } from '../../../src/sign-in/verified-citizen.js';
import { PhoneCardReader } from '../../../src/simulator/app/phone-card-reader.js';
import { openCardFile } from '../../../src/simulator/card/index.js';
import { prepareDemoEnvironment, type DemoEnvironment } from '../../../src/simulator/demo-environment.js';
import { startPkiServer } from '../../../src/simulator/pki/index.js';
import { MemoryStateStore } from '../../../src/storage/state/memory-state-store.js';
import { FixedWindowLimiter } from '../../../src/storage/state/rate-limiter.js';
import { InProcessTerminal } from '../../../src/transport/in-process.js';

export const BINDING: SignInBinding = { waiter: 'interaction', id: 'uid-phone' };

/**
 * The smartphone sign-in's endpoints on a real HTTP server, with the real verifier chain (test PKI,
 * its OCSP responder) and the CieID-app simulator's card reader on a freshly minted virtual card.
 * `POST /start` plays the waiter's start endpoint; a confirmed citizen lands in `confirmed`.
 */
export async function startPhoneStack(options: { requestsPerMinute?: number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'cie-phone-'));
  const pkiPort = await freePort();
  const environment: DemoEnvironment = await prepareDemoEnvironment(dir, `http://127.0.0.1:${pkiPort}`);
  const pkiServer = await startPkiServer(environment.pki, { port: pkiPort });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const store = new MemoryStateStore();
  const challenges = new ChallengeStore(store, 300);
  const audit: AuditEvent[] = [];
  const verify = createAssertionVerifier(
    {
      origin,
      trustAnchors: [environment.pki.rootCertificate],
      intermediates: [environment.pki.issuingCaCertificate],
      clockToleranceSeconds: 60,
      allowedAlgorithms: ['RS256'],
      requiredPolicy: CIE_AUTHENTICATION_POLICY,
      revocation: createRevocationChecker({ mode: 'ocsp' }),
    },
    challenges,
    (event) => audit.push(event),
  );
  const settings = { ...DEFAULT_SMARTPHONE_SETTINGS, refreshSeconds: 0, heartbeatSeconds: 0 };
  const sessions = new SmartphoneSessions({ store, challenges, verify: appAssertionVerifier(verify), settings, origin });
  const hub = new SessionEventHub({ readState: (id) => sessions.state(id), ...settings });
  const confirmed: Array<{ binding: SignInBinding; citizen: VerifiedCitizen }> = [];
  const waiters: SignInWaiters = { interaction: { completionPath: (id, ticket) => `/interaction/${id}/cie/complete?ticket=${ticket}`, retryPath: (id, name) => `/interaction/${id}/${name}`, backPath: (id) => `/interaction/${id}/abort` } };
  const perNetwork = new FixedWindowLimiter(store, { name: 'phone-ip', limit: options.requestsPerMinute ?? 0, windowSeconds: 60, windowStart: 'clock' });
  const routes = smartphoneRoutes({
    sessions,
    hub,
    perNetwork,
    waiters,
    onConfirmed: async (binding, citizen) => {
      confirmed.push({ binding, citizen });
      return `/interaction/${binding.id}/smartphone/complete`;
    },
  });
  const method = smartphoneSignInMethod({ sessions, routes, requesterOf: async () => 'Comune di Esempio', waiters });
  const waiter = new Router();
  waiter.post('/start', (ctx) => method.start(ctx, BINDING, 'it'));
  const app = new Koa();
  app.use(waiter.routes()).use(method.routes.routes());
  const server = createServer(app.callback());
  await listen(server, port, '127.0.0.1');

  const keys = parseDeviceAuthKeys(JSON.parse(await readFile(environment.deviceKeysPath, 'utf8')));
  let cards = 0;
  /** The app's reader with a fresh virtual card of `environment` (PIN 12345678). */
  const phoneReader = async () => {
    const terminal = new InProcessTerminal(openCardFile(await environment.mintCardFile(`phone-${++cards}`)));
    return { terminal, keys, reader: new PhoneCardReader(terminal, keys) };
  };

  return {
    origin,
    environment,
    sessions,
    hub,
    method,
    audit,
    confirmed,
    phoneReader,
    keysPath: environment.deviceKeysPath,
    async close() {
      hub.close();
      await closeNow(server);
      await pkiServer.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type PhoneStack = Awaited<ReturnType<typeof startPhoneStack>>;

/** The desktop browser: starts the sign-in and keeps its session cookie. */
export async function desktopStart(stack: PhoneStack, userAgent = 'Mozilla/5.0 (X11; Linux x86_64)', form = '') {
  const response = await fetch(`${stack.origin}/start${form ? `?${form}` : ''}`, { method: 'POST', redirect: 'manual', headers: { 'user-agent': userAgent } });
  const location = response.headers.get('location')!;
  const sessionId = /\/smartphone\/session\/([A-Za-z0-9_-]{43})/.exec(location)![1]!;
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  return { sessionId, cookie, location, status: response.status };
}
