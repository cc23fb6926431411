import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCharacter } from '../../src/cie/identity/fiscal-code.js';
import { runCardCli } from '../../src/simulator/card/card-cli-commands.js';
import { fiscalCodeCheckCharacter, fiscalCodeProblem } from '../../src/simulator/card/fiscal-code-check.js';
import { loadCardFile, saveCardFile } from '../../src/simulator/card/index.js';
import { DEMO_PIN, DEMO_PUK, prepareDemoEnvironment, type DemoEnvironment } from '../../src/simulator/demo-environment.js';
import { runPkiCli } from '../../src/simulator/pki/cli.js';
import { runBridgeCli } from './cli-harness.js';

// The three command-line tools agree: --help prints the usage on stdout and exits 0; a wrong command
// line exits 2 with the usage on stderr, its message wholly in the tool's language.

let dir: string;
let demo: DemoEnvironment;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-cli-agreement-'));
  demo = await prepareDemoEnvironment(dir, 'http://127.0.0.1:9');
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cardCli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCardCli(args, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join(''), err: err.join('') };
}

async function pkiCli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPkiCli(args, { out: (line) => out.push(line), err: (line) => err.push(line), waitForShutdown: async () => undefined });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('--help and usage errors', () => {
  test.each([['--help'], ['-h']])('%s exits 0 with the usage on stdout, for all three', async (flag) => {
    const bridge = await runBridgeCli([flag]);
    expect(bridge.code).toBe(0);
    expect(bridge.stdout[0]).toBe('Uso:');
    const card = await cardCli([flag]);
    expect(card.code).toBe(0);
    expect(card.out).toMatch(/^Usage: cie-card/);
    expect(card.err).toBe('');
    const pki = await pkiCli([flag]);
    expect(pki.code).toBe(0);
    expect(pki.out).toMatch(/^Usage: cie-pki/);
  });

  test('a command’s own --help exits 0 too', async () => {
    expect((await runBridgeCli(['pin', 'change', '--help'])).code).toBe(0);
    expect((await cardCli(['issue', '--help'])).code).toBe(0);
    expect((await pkiCli(['init', '--help'])).code).toBe(0);
  });

  test.each([
    [['frobnicate']],
    [['status', '--frobnicate']],
    [[]],
  ])('cie-bridge %j exits 2, the message wholly in Italian (English with LANG=en)', async (args) => {
    const it = await runBridgeCli(args);
    expect(it.code).toBe(2);
    expect(it.stderr[0]).toMatch(/^Comando non valido: [a-zà-ù «»-]+\.$/i);
    expect(it.stderr[0]).not.toMatch(/unknown|missing|option/i);
    expect(it.stderr).toContain('Uso:');
    const en = await runBridgeCli(args, [], { LANG: 'en_GB.UTF-8' });
    expect(en.code).toBe(2);
    expect(en.stderr[0]).toMatch(/^Invalid command: /);
    expect(en.stderr).toContain('Usage:');
  });

  test.each([
    [['frobnicate']],
    [['show', '--frobnicate', 'x']],
    [['issue', '--fiscal-code', 'RSSMRA85T10A562S']],
    [[]],
  ])('cie-card %j exits 2 with the usage, in English as cie-pki', async (args) => {
    const card = await cardCli(args);
    expect(card.code).toBe(2);
    expect(card.err).toMatch(/^cie-card: .+\n\nUsage: cie-card/);
    const pki = await pkiCli(['frobnicate']);
    expect(pki.code).toBe(2);
    expect(pki.err).toMatch(/^cie-pki: .+\nUsage: cie-pki/);
  });
});

describe('the codice fiscale check letter', () => {
  // Published examples: RSSMRA85T10A562S (Mario Rossi, the README's test card); MRTMTT25D09F205Z
  // (the usual example of the Agenzia delle Entrate's rules, Matteo Moretti born 9 April 1925 in Milan).
  test.each([
    ['RSSMRA85T10A562S', '1985-12-10'],
    ['MRTMTT25D09F205Z', '1925-04-09'],
  ])('%s is valid', (code, birthDate) => {
    expect(fiscalCodeProblem(code, birthDate)).toBeUndefined();
  });

  test.each([
    ['RSSMRA85T10A562X', 'check_character'],
    ['MRTMTT25D09F205A', 'check_character'],
    ['RSSMRA85T10A562', 'structure'],
    ['RSSMRA85Z10A562S', 'structure'],
  ])('%s is refused (%s)', (code, problem) => {
    expect(fiscalCodeProblem(code, '1985-12-10')).toBe(problem);
  });

  test('a woman’s code (day + 40) matches her birth date', () => {
    const first15 = 'BNCLRA90A41H501';
    expect(fiscalCodeProblem(`${first15}${fiscalCodeCheckCharacter(first15)}`, '1990-01-01')).toBeUndefined();
  });

  test('a code for another birth date is refused', () => {
    expect(fiscalCodeProblem('RSSMRA85T10A562S', '1985-12-11')).toBe('birth_date');
  });

  test('omocodia letters in digit places are checked like the digits they replace', () => {
    const first15 = 'RSSMRA85T10A56N'; // 2 → N
    const code = `${first15}${fiscalCodeCheckCharacter(first15)}`;
    expect(fiscalCodeProblem(code, '1985-12-10')).toBeUndefined();
  });

  test('agrees with the provider’s independent decoder on every code of a sweep', () => {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (let i = 0; i < 26 * 10; i += 1) {
      const first15 = `${letters[i % 26]}${letters[(i * 7) % 26]}SMRA${String(i % 100).padStart(2, '0')}T${String((i % 28) + 1).padStart(2, '0')}H50${i % 10}`;
      expect(fiscalCodeCheckCharacter(first15)).toBe(checkCharacter(first15));
    }
  });
});

describe('cie-card issue and reset', () => {
  const issueArgs = (fiscalCode: string, out: string) => [
    'issue', '--fiscal-code', fiscalCode, '--given-name', 'Mario', '--family-name', 'Rossi', '--birth-date', '1985-12-10',
    '--out', out, '--device-keys', demo.deviceKeysPath, '--pki', join(dir, 'pki'),
  ];

  test('a wrong check letter is refused, naming the right one, and no card is written', async () => {
    const run = await cardCli(issueArgs('RSSMRA85T10A562X', join(dir, 'bad.json')));
    expect(run.code).toBe(2);
    expect(run.err).toContain('the check letter should be S, not X');
    await expect(loadCardFile(join(dir, 'bad.json'))).rejects.toMatchObject({ code: 'card_file_unreadable' });
  });

  test('a valid card is written and its PIN and PUK are printed', async () => {
    const out = join(dir, 'issued.json');
    const run = await cardCli([...issueArgs('RSSMRA85T10A562S', out), '--pin', '24681357', '--puk', '97531864']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('PIN:              24681357');
    expect(run.out).toContain('PUK:              97531864');
    expect((await loadCardFile(out)).state).toMatchObject({ pin: '24681357', puk: '97531864' });
  });

  test('reset puts the demo codes and every try back, even after the PUK ran out', async () => {
    const path = await demo.mintCardFile('reset-me');
    const card = await loadCardFile(path);
    Object.assign(card.state, { pin: '24681357', pinTriesLeft: 0, pukTriesLeft: 0, identityBlocked: true });
    await saveCardFile(path, card);
    const run = await cardCli(['reset', path]);
    expect(run.code).toBe(0);
    expect(run.out).toContain(`PIN ${DEMO_PIN}, PUK ${DEMO_PUK}`);
    expect((await loadCardFile(path)).state).toMatchObject({ pin: DEMO_PIN, puk: DEMO_PUK, pinTriesLeft: 3, pukTriesLeft: 10, identityBlocked: false });
  });
});
