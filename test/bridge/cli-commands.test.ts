import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PCSC_TERMINALS } from '../../src/bridge/card-terminals.js';
import { loadCardFile } from '../../src/simulator/card/index.js';
import { DEMO_HOLDER, DEMO_PIN, DEMO_PUK, prepareDemoEnvironment, type DemoEnvironment } from '../../src/simulator/demo-environment.js';
import { type CliRun, expectNoSecrets, runBridgeCli } from './cli-harness.js';

let dir: string;
let demo: DemoEnvironment;
let cardCount = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-bridge-cli-'));
  demo = await prepareDemoEnvironment(dir, 'http://127.0.0.1:9');
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const NEW_PIN = '27182818';
const WRONG_PIN = '00000001';
const WRONG_PUK = '99999998';
const SECRETS = [DEMO_PIN, DEMO_PUK, NEW_PIN, WRONG_PIN, WRONG_PUK];

/** A fresh card (own counters) and a runner for `cie-bridge` on it through the in-process virtual reader. */
async function freshCard() {
  const cardPath = await demo.mintCardFile(`cli-${++cardCount}`);
  const cli = async (args: string[], answers: string[] = [], env: Record<string, string> = {}): Promise<CliRun> => {
    const run = await runBridgeCli([...args, '--transport', 'virtual', '--card', cardPath], answers, {
      BRIDGE_DEVICE_KEYS: demo.deviceKeysPath,
      ...env,
    });
    expectNoSecrets(run, SECRETS);
    return run;
  };
  const state = async () => (await loadCardFile(cardPath)).state;
  return { cardPath, cli, state };
}

describe('status', () => {
  test('lists the reader, the chip family from the ATR and the NIS, without asking the PIN', async () => {
    const { cardPath, cli } = await freshCard();
    const run = await cli(['status']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  CIE Virtual Reader (in-process): carta presente');
    expect(run.stdout).toContain('Carta: CIE 3.0 (chip Gemalto)');
    expect(run.stdout).toContain(`NIS: ${(await loadCardFile(cardPath)).nis}`);
    expect(run.stderr.join('\n')).not.toContain('PIN');
  });

  test('with --pin-prompt shows the holder and the fiscal code from the certificate', async () => {
    const { cli } = await freshCard();
    const run = await cli(['status', '--pin-prompt'], [DEMO_PIN]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Titolare: ${DEMO_HOLDER.givenName} ${DEMO_HOLDER.familyName}`);
    expect(run.stdout).toContain(`Codice fiscale: ${DEMO_HOLDER.fiscalCode}`);
    expect(run.stdout).toContain(`Numero carta: ${DEMO_HOLDER.documentNumber}`);
  });

  test('speaks English with --lang en and with LANG=en_*', async () => {
    const { cli } = await freshCard();
    const byOption = await cli(['status', '--pin-prompt', '--lang', 'en'], [WRONG_PIN]);
    expect(byOption.code).toBe(1);
    expect(byOption.stderr).toContain('Wrong PIN. 2 attempts left.');
    const byLang = await cli(['status'], [], { LANG: 'en_GB.UTF-8' });
    expect(byLang.stdout).toContain('Card: CIE 3.0 (Gemalto chip)');
  });
});

describe('pin change', () => {
  test('changes the PIN: the new one works, the old one does not', async () => {
    const { cli } = await freshCard();
    const change = await cli(['pin', 'change'], [DEMO_PIN, NEW_PIN, NEW_PIN]);
    expect(change.code).toBe(0);
    expect(change.stdout).toContain('PIN cambiato. D’ora in poi usa il nuovo PIN.');

    expect((await cli(['status', '--pin-prompt'], [NEW_PIN])).code).toBe(0);
    const old = await cli(['status', '--pin-prompt'], [DEMO_PIN]);
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('PIN errato. Ti restano 2 tentativi.');
  });

  test('after every wrong current PIN shows the tries left and asks again', async () => {
    const { cli, state } = await freshCard();
    const run = await cli(['pin', 'change'], [WRONG_PIN, NEW_PIN, NEW_PIN, WRONG_PIN, DEMO_PIN]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('PIN errato. Ti restano 2 tentativi.');
    expect(run.stderr).toContain('PIN errato. Ti resta 1 tentativo: un altro errore bloccherà il PIN.');
    expect(await state()).toMatchObject({ pin: NEW_PIN, pinTriesLeft: 3 });
  });

  test('refuses new PINs that differ, before touching the card', async () => {
    const { cli, state } = await freshCard();
    const run = await cli(['pin', 'change'], [DEMO_PIN, NEW_PIN, '27182819']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('I due nuovi PIN non coincidono. Il PIN non è stato cambiato.');
    expect(await state()).toMatchObject({ pin: DEMO_PIN, pinTriesLeft: 3 });
  });

  test.each(['11111111', '23456789', '98765432'])('refuses the weak new PIN %s', async (weak) => {
    const { cli, state } = await freshCard();
    const run = await cli(['pin', 'change'], [DEMO_PIN, weak, weak]);
    expect(run.code).toBe(1);
    expect(run.stderr.some((line) => line.startsWith('Il nuovo PIN è troppo semplice'))).toBe(true);
    expectNoSecrets(run, [weak]);
    expect((await state()).pin).toBe(DEMO_PIN);
  });

  test('refuses a current PIN that is not 8 digits without spending a try', async () => {
    const { cli, state } = await freshCard();
    const run = await cli(['pin', 'change'], ['1234']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Il PIN deve essere composto da 8 cifre.');
    expect((await state()).pinTriesLeft).toBe(3);
  });

  test('stopping at a prompt (end of input) cancels', async () => {
    const { cli } = await freshCard();
    const run = await cli(['pin', 'change'], [DEMO_PIN]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Operazione annullata.');
  });
});

describe('pin unblock', () => {
  async function blockedCard() {
    const card = await freshCard();
    const block = await card.cli(['pin', 'change'], [WRONG_PIN, NEW_PIN, NEW_PIN, WRONG_PIN, WRONG_PIN]);
    expect(block.code).toBe(1);
    expect(block.stderr.at(-1)).toMatch(/^Il PIN è bloccato dopo 3 tentativi errati\. Sbloccalo con il PUK: esegui «cie-bridge pin unblock»/);
    return card;
  }

  test('3 wrong PINs block the PIN; the PUK unblocks it with a new PIN that then works', async () => {
    const { cli } = await blockedCard();
    expect((await cli(['status', '--pin-prompt'], [DEMO_PIN])).stderr.at(-1)).toMatch(/^Il PIN è bloccato/);

    const unblock = await cli(['pin', 'unblock'], [DEMO_PUK, NEW_PIN, NEW_PIN]);
    expect(unblock.code).toBe(0);
    expect(unblock.stdout).toContain('PIN sbloccato. D’ora in poi usa il nuovo PIN.');
    const status = await cli(['status', '--pin-prompt'], [NEW_PIN]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Codice fiscale: ${DEMO_HOLDER.fiscalCode}`);
  });

  test('a wrong PUK shows the tries left and is asked again', async () => {
    const { cli, state } = await blockedCard();
    const run = await cli(['pin', 'unblock'], [WRONG_PUK, NEW_PIN, NEW_PIN, WRONG_PUK, DEMO_PUK]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('PUK errato. Ti restano 9 tentativi.');
    expect(run.stderr).toContain('PUK errato. Ti restano 8 tentativi.');
    expect(await state()).toMatchObject({ pin: NEW_PIN, pinTriesLeft: 3, pukTriesLeft: 10 });
  });

  test('before the last PUK try it warns and asks for confirmation; anything but SI stops', async () => {
    const { cli, state } = await blockedCard();
    const run = await cli(['pin', 'unblock'], [WRONG_PUK, NEW_PIN, NEW_PIN, ...Array(8).fill(WRONG_PUK), 'no']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PUK errato. Ti resta 1 tentativo.');
    const warning = run.stderr.findIndex((line) => line.startsWith('ATTENZIONE: resta un solo tentativo per il PUK'));
    expect(warning).toBeGreaterThan(run.stderr.indexOf('PUK errato. Ti resta 1 tentativo.'));
    expect(run.stderr[warning]).toContain('bloccata in modo irreversibile');
    expect(run.stderr).toContain('Scrivi SI per continuare:');
    expect(run.stderr.at(-1)).toBe('Operazione annullata.');
    expect(await state()).toMatchObject({ pukTriesLeft: 1, identityBlocked: false });

    // The last try is still there: the right PUK unblocks.
    expect((await cli(['pin', 'unblock'], [DEMO_PUK, NEW_PIN, NEW_PIN])).code).toBe(0);
  });

  test('a 10th wrong PUK blocks the card for good; every later operation says it must be replaced', async () => {
    const { cli, state } = await blockedCard();
    const run = await cli(['pin', 'unblock'], [WRONG_PUK, NEW_PIN, NEW_PIN, ...Array(8).fill(WRONG_PUK), 'si', WRONG_PUK]);
    expect(run.code).toBe(1);
    expect(run.stderr.at(-1)).toMatch(/La carta deve essere sostituita: rivolgiti al tuo Comune\.$/);
    expect(await state()).toMatchObject({ identityBlocked: true });

    for (const [args, answers] of [
      [['pin', 'unblock'], [DEMO_PUK, NEW_PIN, NEW_PIN]],
      [['pin', 'change'], [DEMO_PIN, NEW_PIN, NEW_PIN]],
      [['status', '--pin-prompt'], [DEMO_PIN]],
    ] as const) {
      const later = await cli([...args], [...answers]);
      expect(later.code).toBe(1);
      expect(later.stderr.at(-1)).toContain('deve essere sostituita');
    }
  });
});

describe('failures and exit codes', () => {
  test('a missing virtual card file is named', async () => {
    const run = await runBridgeCli(['status', '--transport', 'virtual', '--card', join(dir, 'absent.json')], [], {
      BRIDGE_DEVICE_KEYS: demo.deviceKeysPath,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toEqual([`File della carta virtuale non valido o non leggibile: ${join(dir, 'absent.json')} (BRIDGE_VIRTUAL_CARD, --card).`]);
  });

  test.each([
    ['--transport virtual', ['--transport', 'virtual'], {}],
    ['BRIDGE_TRANSPORT=virtual', [], { BRIDGE_TRANSPORT: 'virtual' }],
  ])('the production cie-bridge has no virtual card (%s): it names the developer command, and touches no card file', async (_name, args, env) => {
    const { cardPath, state } = await freshCard();
    const before = await state();
    const run = await runBridgeCli(['pin', 'change', ...args, '--card', cardPath], [DEMO_PIN, NEW_PIN, NEW_PIN], { BRIDGE_DEVICE_KEYS: demo.deviceKeysPath, ...env }, undefined, PCSC_TERMINALS);
    expectNoSecrets(run, SECRETS);
    expect(run.code).toBe(1);
    expect(run.stderr).toEqual([expect.stringMatching(/^Configurazione non valida: BRIDGE_TRANSPORT=virtual .*cie-bridge-virtual$/)]);
    expect(await state()).toEqual(before);
  });

  test('a missing device-keys file is named', async () => {
    const { cardPath } = await freshCard();
    const keys = join(dir, 'no-keys.json');
    const run = await runBridgeCli(['status', '--transport', 'virtual', '--card', cardPath, '--device-keys', keys]);
    expect(run.code).toBe(1);
    expect(run.stderr.join('\n')).toContain(`File delle chiavi di autenticazione del dispositivo non valido o non leggibile: ${keys}`);
  });

  test.each([
    [[]],
    [['pin']],
    [['pin', 'reset']],
    [['status', '--bogus']],
    [['pin', 'change', '--pin-prompt']],
    [['status', '--lang', 'fr']],
    [['status', '--transport', 'usb']],
    [['pin', 'change', DEMO_PIN, NEW_PIN]],
    [['status', `--pin=${DEMO_PIN}`]],
    [['status', '--lang', DEMO_PIN]],
  ])(
    'usage error for %j: exit 2 and the usage text, never echoing what was typed',
    async (args) => {
      const run = await runBridgeCli(args);
      expectNoSecrets(run, SECRETS);
      expect(run.code).toBe(2);
      expect(run.stderr[0]).toMatch(/^Comando non valido: /);
      expect(run.stderr).toContain('Uso:');
    },
  );

  test('--card without the virtual transport is a usage error', async () => {
    const run = await runBridgeCli(['status', '--card', 'x.json'], [], { BRIDGE_TRANSPORT: 'pcsc' });
    expect(run.code).toBe(2);
  });

  test('--help prints the usage and exits 0', async () => {
    const run = await runBridgeCli(['--help', '--lang', 'en']);
    expect(run.code).toBe(0);
    expect(run.stdout[0]).toBe('Usage:');
  });
});
