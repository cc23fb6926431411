import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runPkiCli } from '../../../src/simulator/pki/cli.js';
import { loadTestPki, x509 } from '../../../src/simulator/pki/index.js';
import { issueCard, PKI_CREATION_TIMEOUT_MS } from './pki-fixture.js';

let parent: string;
let dir: string;

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'cie-pki-cli-'));
  dir = join(parent, 'pki');
});
afterAll(() => rm(parent, { recursive: true, force: true }));

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function cli(args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPkiCli(args, { out: (line) => out.push(line), err: (line) => err.push(line), waitForShutdown: () => Promise.resolve() });
  return { code, out, err };
}

describe('cie-pki', () => {
  it('init creates a PKI with the given base URL', async () => {
    const run = await cli(['init', '--dir', dir, '--base-url', 'http://127.0.0.1:9999']);
    expect(run.code).toBe(EXIT_OK);
    expect(run.out[0]).toContain(dir);
    const pki = await loadTestPki(dir);
    const aia = pki.issuingCaCertificate.getExtension(x509.AuthorityInfoAccessExtension);
    expect(aia?.ocsp[0]?.value).toBe('http://127.0.0.1:9999/ocsp');
  }, PKI_CREATION_TIMEOUT_MS);

  it('init on an existing PKI fails with exit 1 and a clear message', async () => {
    const run = await cli(['init', '--dir', dir]);
    expect(run.code).toBe(EXIT_FAILURE);
    expect(run.err.join('\n')).toMatch(/already holds a test PKI/);
  });

  it('status, suspend, unsuspend and revoke change what the library sees', async () => {
    const pki = await loadTestPki(dir);
    const { serialNumber } = await issueCard(pki);
    expect((await cli(['status', serialNumber, '--dir', dir])).out).toEqual(['good']);
    expect((await cli(['suspend', serialNumber, '--dir', dir])).code).toBe(EXIT_OK);
    expect(pki.statusOf(serialNumber)).toBe('suspended');
    expect((await cli(['unsuspend', serialNumber, '--dir', dir])).code).toBe(EXIT_OK);
    expect(pki.statusOf(serialNumber)).toBe('good');
    expect((await cli(['revoke', serialNumber, '--reason', 'superseded', '--dir', dir])).code).toBe(EXIT_OK);
    expect((await cli(['status', serialNumber, '--dir', dir])).out).toEqual(['revoked']);
    const crl = new x509.X509Crl(await pki.currentCrl('issuing'));
    expect(crl.findRevoked(serialNumber)?.reason).toBe(x509.X509CrlReason.superseded);
  });

  it('refuses to revoke an unknown serial with exit 1', async () => {
    const run = await cli(['revoke', 'abcdef', '--dir', dir]);
    expect(run.code).toBe(EXIT_FAILURE);
    expect(run.err[0]).toMatch(/PKI_UNKNOWN_SERIAL/);
  });

  it('serve listens until shut down', async () => {
    let stop!: () => void;
    const shutdown = new Promise<void>((resolve) => (stop = resolve));
    let announce!: (url: string) => void;
    const announced = new Promise<string>((resolve) => (announce = resolve));
    const err: string[] = [];
    const running = runPkiCli(['serve', '--dir', dir, '--port', '0'], {
      out: (line) => {
        const url = /at (http:\/\/\S+) /.exec(line)?.[1];
        if (url) announce(url);
      },
      err: (line) => err.push(line),
      waitForShutdown: () => shutdown,
    });
    const url = await Promise.race([
      announced,
      running.then((code) => Promise.reject(new Error(`serve ended early with ${code}: ${err.join(' ')}`))),
    ]);
    expect((await fetch(`${url}/ca/root.cer`)).status).toBe(200);
    stop();
    expect(await running).toBe(EXIT_OK);
    await expect(fetch(`${url}/ca/root.cer`)).rejects.toThrow();
  });

  it.each([
    [[]],
    [['frobnicate', '--dir', 'x']],
    [['status', '--dir', 'x']],
    [['status', 'ab', 'cd', '--dir', 'x']],
    [['status', 'ab']],
    [['revoke', 'ab', '--dir', 'x', '--reason', 'boredom']],
    [['serve', '--dir', 'x', '--port', 'eighty']],
    [['init', '--dir', 'x', '--port', '1']],
    [['init', '--dir', 'x', '--no-such-option']],
  ])('exits 2 with the usage text for %j', async (args) => {
    const run = await cli(args);
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.err.join('\n')).toContain('Usage: cie-pki');
  });

  it('prints the usage with --help and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(EXIT_OK);
    expect(run.out[0]).toContain('Usage: cie-pki');
  });
});
