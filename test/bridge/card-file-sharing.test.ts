import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBridge, type RunningBridge } from '../../src/bridge/start-bridge.js';
import { CardError } from '../../src/card/index.js';
import { loadBridgeConfig } from '../../src/config/config.js';
import { CardFileTerminal } from '../../src/simulator/virtual-bridge/card-file-terminal.js';
import { loadCardFile, lockCardFile } from '../../src/simulator/card/index.js';
import { TransportError } from '../../src/transport/card-transport.js';
import { eventually } from '../storage/eventually.js';
import { DEMO_PIN, DEMO_PUK, prepareDemoEnvironment, type DemoEnvironment } from '../../src/simulator/demo-environment.js';
import { ensureBuiltEntryPoint } from '../scale/support/built-entry-point.js';
import { runBridgeCli } from './cli-harness.js';

// The demo's situation: a running bridge holds the virtual card file open while the citizen uses
// `cie-bridge pin …` on the same file. Each side has its own reader on the file, as two programs do.

let dir: string;
let demo: DemoEnvironment;
let cardCount = 0;
const running: RunningBridge[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-card-sharing-'));
  demo = await prepareDemoEnvironment(dir, 'http://127.0.0.1:9');
}, 120_000);

afterEach(async () => {
  await Promise.all(running.splice(0).map((bridge) => bridge.close()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const NEW_PIN = '27182818';
const WRONG_PIN = '00000001';
const DIGEST = new Uint8Array(32).fill(7);

async function freshCardAndBridge() {
  const cardPath = await demo.mintCardFile(`sharing-${++cardCount}`);
  const bridge = await startBridge(loadBridgeConfig({
    BRIDGE_PORT: '0',
    BRIDGE_TRANSPORT: 'virtual',
    BRIDGE_VIRTUAL_CARD: cardPath,
    BRIDGE_DEVICE_KEYS: demo.deviceKeysPath,
  }), new CardFileTerminal(cardPath));
  running.push(bridge);
  const cli = (args: string[], answers: string[]) =>
    runBridgeCli([...args, '--transport', 'virtual', '--card', cardPath], answers, { BRIDGE_DEVICE_KEYS: demo.deviceKeysPath });
  /** What the bridge does with the PIN the citizen typed on its page. */
  const bridgeSigns = (pin: string) => bridge.cards.sign(pin, DIGEST);
  const state = async () => (await loadCardFile(cardPath)).state;
  return { cardPath, bridge, cli, bridgeSigns, state };
}

async function expectWrongPin(signing: Promise<unknown>, triesLeft: number): Promise<void> {
  const error = await signing.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CardError);
  expect(error).toMatchObject({ code: 'wrong_pin', details: { triesLeft } });
}

test('CLI then bridge: a PIN changed with the CLI survives a wrong PIN on the running bridge', async () => {
  const { cli, bridgeSigns, state } = await freshCardAndBridge();
  await bridgeSigns(DEMO_PIN); // the bridge has used the card before the change

  expect((await cli(['pin', 'change'], [DEMO_PIN, NEW_PIN, NEW_PIN])).code).toBe(0);
  await expectWrongPin(bridgeSigns(WRONG_PIN), 2);

  expect(await state()).toMatchObject({ pin: NEW_PIN, pinTriesLeft: 2 });
  await expect(bridgeSigns(NEW_PIN)).resolves.toHaveProperty('signature');
  expect(await state()).toMatchObject({ pin: NEW_PIN, pinTriesLeft: 3 });
});

test('CLI then bridge: an unblock made with the CLI is seen by the running bridge at once', async () => {
  const { cli, bridgeSigns, state } = await freshCardAndBridge();
  for (const triesLeft of [2, 1]) await expectWrongPin(bridgeSigns(WRONG_PIN), triesLeft);
  await expect(bridgeSigns(WRONG_PIN)).rejects.toMatchObject({ code: 'pin_blocked' });

  expect((await cli(['pin', 'unblock'], [DEMO_PUK, NEW_PIN, NEW_PIN])).code).toBe(0);
  await expect(bridgeSigns(NEW_PIN)).resolves.toHaveProperty('signature');
  expect(await state()).toMatchObject({ pin: NEW_PIN, pinTriesLeft: 3 });
});

test('bridge then CLI: the CLI sees the try the bridge spent, and its change holds', async () => {
  const { cli, bridgeSigns, state } = await freshCardAndBridge();
  await expectWrongPin(bridgeSigns(WRONG_PIN), 2);

  const wrongOnCli = await cli(['pin', 'change'], [WRONG_PIN, NEW_PIN, NEW_PIN]);
  expect(wrongOnCli.code).not.toBe(0);
  expect(wrongOnCli.stderr).toContain('PIN errato. Ti resta 1 tentativo: un altro errore bloccherà il PIN.');
  expect((await state()).pinTriesLeft).toBe(1);

  expect((await cli(['pin', 'change'], [DEMO_PIN, NEW_PIN, NEW_PIN])).code).toBe(0);
  await expect(bridgeSigns(NEW_PIN)).resolves.toHaveProperty('signature');
  expect(await state()).toMatchObject({ pin: NEW_PIN, pinTriesLeft: 3 });
});

test('two sessions at the same moment from two readers on the file both count: no try is lost', async () => {
  const first = await freshCardAndBridge();
  const second = await startBridge(loadBridgeConfig({
    BRIDGE_PORT: '0',
    BRIDGE_TRANSPORT: 'virtual',
    BRIDGE_VIRTUAL_CARD: first.cardPath,
    BRIDGE_DEVICE_KEYS: demo.deviceKeysPath,
  }), new CardFileTerminal(first.cardPath));
  running.push(second);
  const outcomes = await Promise.allSettled([first.bridgeSigns(WRONG_PIN), second.cards.sign(WRONG_PIN, DIGEST)]);
  const triesReported = outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as CardError).details.triesLeft : 'signed'));
  expect(triesReported.sort()).toEqual([1, 2]);
  expect((await first.state()).pinTriesLeft).toBe(1);
});

test('the CLI as its own process: its PIN change is kept by the bridge running in this one', async () => {
  await ensureBuiltEntryPoint();
  const { cardPath, bridgeSigns, state } = await freshCardAndBridge();
  await bridgeSigns(DEMO_PIN);
  const child = spawn(process.execPath, [join(process.cwd(), 'dist', 'src', 'simulator', 'virtual-bridge', 'cli.js'), 'pin', 'change', '--transport', 'virtual', '--card', cardPath], {
    env: { ...process.env, BRIDGE_DEVICE_KEYS: demo.deviceKeysPath },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.stdin.end(`${DEMO_PIN}\n${NEW_PIN}\n${NEW_PIN}\n`);
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(0);

  await expectWrongPin(bridgeSigns(WRONG_PIN), 2);
  expect(await state()).toMatchObject({ pin: NEW_PIN, pinTriesLeft: 2 });
}, 120_000);

test('a session whose lock another program took over sends no further command to the card', async () => {
  const cardPath = await demo.mintCardFile(`sharing-${++cardCount}`);
  const terminal = new CardFileTerminal(cardPath);
  const session = await terminal.connect();
  const selectMasterFile = Uint8Array.of(0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00);
  await expect(session.transmit(selectMasterFile)).resolves.toBeInstanceOf(Uint8Array);
  // Another program removes the lock, as it would after judging it stale, and takes it itself.
  await rm(`${cardPath}.lock`, { recursive: true, force: true });
  const other = await lockCardFile(cardPath);
  await eventually(async () => session.transmit(selectMasterFile).then(() => false, (error: unknown) => error instanceof TransportError && error.code === 'card_busy'));
  await session.close();
  await other.release();
  await terminal.close();
});
