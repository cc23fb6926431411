import { jest } from '@jest/globals';
import request from 'supertest';
import type { Response } from 'supertest';
import { createBridgeApp } from '../../src/bridge/bridge-server.js';
import { configureLogging } from '../../src/shared/logger.js';
import { CardAccess } from '../../src/bridge/card-access.js';
import { CardFileTerminal } from '../../src/simulator/virtual-bridge/card-file-terminal.js';
import type { CardSigner } from '../../src/bridge/card-signer.js';
import { readDeviceAuthKeys } from '../../src/bridge/open-terminal.js';
import { loadCardFile, saveCardFile } from '../../src/simulator/card/index.js';
import type { DemoEnvironment } from '../../src/simulator/demo-environment.js';

export const ORIGIN = 'https://id.example.it';
export const PORT = 3900;
export const HOST = `127.0.0.1:${PORT}`;
export const OWN = `http://${HOST}`;

/** Every page the bridge answered in a test: none may contain a PIN or PUK. */
export const answered: string[] = [];
/** Everything written to the console meanwhile: no PIN or PUK there either. */
export const logged: string[] = [];

export function captureConsole(): void {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  }
  // The JSON log lines too (every level), as written.
  configureLogging({ level: 'debug', destination: { write: (line: string) => void logged.push(line) } });
}

export function expectNoSecretsAnywhere(secrets: string[]): void {
  for (const text of [...answered, ...logged]) for (const secret of secrets) expect(text).not.toContain(secret);
}

let cardCount = 0;

/** A bridge web app on a fresh virtual card of its own (counters start full). */
export async function bridgeOnFreshCard(demo: DemoEnvironment, wrapSigner: (cards: CardAccess, terminal: CardFileTerminal) => CardSigner = (cards) => cards) {
  const cardPath = await demo.mintCardFile(`web-${process.pid}-${++cardCount}`);
  const terminal = new CardFileTerminal(cardPath);
  const cards = new CardAccess(terminal, await readDeviceAuthKeys(demo.deviceKeysPath));
  const app = createBridgeApp({ allowedOrigins: [ORIGIN], signer: wrapSigner(cards, terminal), pins: cards, version: 'test', port: () => PORT }).callback();
  const keep = (response: Response) => {
    answered.push(response.text ?? '');
    return response;
  };
  return {
    cardPath,
    terminal,
    cards,
    state: async () => (await loadCardFile(cardPath)).state,
    setState: async (change: Partial<Awaited<ReturnType<typeof loadCardFile>>['state']>) => {
      const card = await loadCardFile(cardPath);
      Object.assign(card.state, change);
      await saveCardFile(cardPath, card);
    },
    get: async (path: string, headers: Record<string, string> = {}) => keep(await request(app).get(path).set('Host', HOST).set(headers)),
    /** `origin` null: no Origin header at all. */
    post: async (path: string, form: Record<string, string>, origin: string | null = OWN) => {
      const call = request(app).post(path).set('Host', HOST).type('form');
      if (origin !== null) call.set('Origin', origin);
      return keep(await call.send(form));
    },
    close: () => cards.close(),
  };
}

/** The value of a hidden field of the page. */
export function field(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no field ${name}`);
  return match[1]!;
}

export function dataCode(html: string): string | undefined {
  return /id="notice"[^>]*data-code="([^"]+)"/.exec(html)?.[1] ?? /data-code="([^"]+)"[^>]*id="notice"/.exec(html)?.[1];
}
