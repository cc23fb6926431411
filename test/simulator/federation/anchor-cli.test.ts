import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTrustAnchors } from '../../../src/federation/trust-anchors-file.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runFederationCli } from '../../../src/simulator/federation/cli.js';
import { readAnchorKeys, readAnchorState } from '../../../src/simulator/federation/anchor-files.js';
import { newFederationKey, publicJwk } from '../../../src/simulator/federation/federation-keys.js';
import { freePort } from '../../../src/shared/free-port.js';

let parent: string;
let dir: string;
let rpJwksFile: string;
const ANCHOR = 'http://127.0.0.1:18970/';
const RP = 'https://rp.example.it/';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runFederationCli(args, { out: (line) => out.push(line), err: (line) => err.push(line), waitForShutdown: () => Promise.resolve() });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'cie-federation-cli-'));
  dir = join(parent, 'federation');
  rpJwksFile = join(parent, 'rp-federation-jwks.json');
  await writeFile(rpJwksFile, JSON.stringify({ keys: [publicJwk((await newFederationKey()).jwk)] }));
});
afterAll(() => rm(parent, { recursive: true, force: true }));

describe('cie-federation', () => {
  it('--help prints the usage and exits 0', async () => {
    const run = await cli('--help');
    expect(run.code).toBe(EXIT_OK);
    expect(run.out).toMatch(/^Usage: cie-federation/);
    for (const command of ['init', 'enroll', 'revoke-trust-mark', 'add-intermediate', 'rotate-keys', 'serve']) expect(run.out).toContain(command);
  });

  it('bad input: no command, an unknown command or option, a missing operand, a bad type or port exit 2 with the usage', async () => {
    for (const args of [[], ['frobnicate'], ['init', '--port', '1'], ['enroll', '--dir', dir], ['revoke-trust-mark', 'a', 'b'], ['serve', '--port', 'x', '--dir', dir], ['init', '--bogus']]) {
      const run = await cli(...args);
      expect(run.code).toBe(EXIT_USAGE);
      expect(run.err).toMatch(/^cie-federation: .+\nUsage: cie-federation/);
    }
  });

  it('commands on a directory without an anchor fail with exit 1 and say how to create one', async () => {
    const run = await cli('rotate-keys', '--dir', join(parent, 'nothing-here'));
    expect(run.code).toBe(EXIT_FAILURE);
    expect(run.err).toContain('cie-federation init');
    expect(run.err).toContain('[ANCHOR_NOT_INITIALISED]');
  });

  it('init creates the anchor with its key and the provider\'s trust anchors file; a second init fails', async () => {
    const run = await cli('init', '--dir', dir, '--entity-id', ANCHOR);
    expect(run.code).toBe(EXIT_OK);
    expect(run.out).toContain(`FEDERATION_TRUST_ANCHORS=${join(dir, 'trust-anchors.json')}`);
    const state = readAnchorState(dir);
    expect(state.entityId).toBe(ANCHOR);
    const [anchor] = parseTrustAnchors(await readFile(join(dir, 'trust-anchors.json'), 'utf8'));
    expect(anchor!.entityId).toBe(ANCHOR);
    expect(anchor!.jwks.keys.map((key) => key.kid)).toEqual(readAnchorKeys(dir)[ANCHOR]!.map((key) => key.kid));
    expect(anchor!.jwks.keys[0]).not.toHaveProperty('d');
    expect(anchor!.requiredTrustMarks).toContain('http://127.0.0.1:18970/openid_relying_party/public/');
    expect((await cli('init', '--dir', dir)).code).toBe(EXIT_FAILURE);
  });

  it('init refuses an entity id that is not an http(s) URL, or has a query', async () => {
    for (const entityId of ['ftp://x.example/', 'not a url', 'https://ta.example/?a=1']) {
      const run = await cli('init', '--dir', join(parent, 'bad'), '--entity-id', entityId);
      expect(run.code).toBe(EXIT_FAILURE);
      expect(run.err).toContain('[ANCHOR_INVALID_ENTITY_ID]');
    }
  });

  it('enroll --jwks records the subordinate statement data and issues a trust mark of <anchor>/openid_relying_party/public/', async () => {
    const run = await cli('enroll', RP, '--jwks', rpJwksFile, '--dir', dir);
    expect(run.code).toBe(EXIT_OK);
    expect(run.out).toContain('http://127.0.0.1:18970/fetch?sub=https%3A%2F%2Frp.example.it%2F');
    const state = readAnchorState(dir);
    expect(state.enrollments[RP]).toMatchObject({ entityType: 'openid_relying_party', superior: ANCHOR });
    expect(state.enrollments[RP]!.jwks).toEqual(JSON.parse(await readFile(rpJwksFile, 'utf8')));
    expect(state.trustMarks).toEqual([expect.objectContaining({ subject: RP, type: 'http://127.0.0.1:18970/openid_relying_party/public/' })]);
    // Enrolling again keeps the active trust mark.
    expect((await cli('enroll', RP, '--jwks', rpJwksFile, '--dir', dir)).out).toContain('kept the active one');
    expect(readAnchorState(dir).trustMarks).toHaveLength(1);
  });

  it('enroll refuses a JWK set with a private key, an unknown intermediate and an unreachable entity without --jwks', async () => {
    const privateFile = join(parent, 'private.json');
    await writeFile(privateFile, JSON.stringify({ keys: [(await newFederationKey()).jwk] }));
    expect((await cli('enroll', RP, '--jwks', privateFile, '--dir', dir)).err).toContain('[ANCHOR_INVALID_JWKS]');
    expect((await cli('enroll', RP, '--jwks', rpJwksFile, '--via', 'nobody', '--dir', dir)).err).toContain('[ANCHOR_UNKNOWN_INTERMEDIATE]');
    const unreachable = await cli('enroll', 'http://127.0.0.1:1/', '--dir', dir);
    expect(unreachable.code).toBe(EXIT_FAILURE);
    expect(unreachable.err).toContain('[ANCHOR_ENTITY_UNREACHABLE]');
    expect((await cli('enroll', RP, '--type', 'openid_wallet', '--dir', dir)).code).toBe(EXIT_USAGE);
  });

  it('revoke-trust-mark marks the RP\'s trust marks revoked; a second revoke has nothing to revoke; enroll then issues a new one', async () => {
    const run = await cli('revoke-trust-mark', RP, '--dir', dir);
    expect(run.code).toBe(EXIT_OK);
    expect(readAnchorState(dir).trustMarks[0]!.revokedAt).toEqual(expect.any(String));
    expect((await cli('revoke-trust-mark', RP, '--dir', dir)).err).toContain('[ANCHOR_NOTHING_TO_REVOKE]');
    expect((await cli('enroll', RP, '--jwks', rpJwksFile, '--dir', dir)).out).not.toContain('kept');
    expect(readAnchorState(dir).trustMarks.filter((mark) => !mark.revokedAt)).toHaveLength(1);
  });

  it('add-intermediate gives it its own keys and entity id below the anchor; enroll --via puts an RP under it', async () => {
    const run = await cli('add-intermediate', 'aggregatore', '--dir', dir);
    expect(run.code).toBe(EXIT_OK);
    const id = 'http://127.0.0.1:18970/intermediate/aggregatore';
    expect(readAnchorState(dir).intermediates.aggregatore!.entityId).toBe(id);
    expect(readAnchorKeys(dir)[id]).toHaveLength(1);
    expect((await cli('add-intermediate', 'aggregatore', '--dir', dir)).err).toContain('[ANCHOR_INTERMEDIATE_EXISTS]');
    expect((await cli('add-intermediate', 'Not/A/Name', '--dir', dir)).err).toContain('[ANCHOR_INVALID_NAME]');
    const other = 'https://other-rp.example.it/';
    expect((await cli('enroll', other, '--jwks', rpJwksFile, '--via', 'aggregatore', '--dir', dir)).code).toBe(EXIT_OK);
    expect(readAnchorState(dir).enrollments[other]!.superior).toBe(id);
  });

  it('rotate-keys publishes a second key (trust anchors file too); --retire-old drops the first', async () => {
    const [first] = readAnchorKeys(dir)[ANCHOR]!;
    expect((await cli('rotate-keys', '--dir', dir)).code).toBe(EXIT_OK);
    let [anchor] = parseTrustAnchors(await readFile(join(dir, 'trust-anchors.json'), 'utf8'));
    expect(anchor!.jwks.keys).toHaveLength(2);
    const retire = await cli('rotate-keys', '--retire-old', '--dir', dir);
    expect(retire.out).toContain(`Retired the anchor key ${first!.kid}`);
    [anchor] = parseTrustAnchors(await readFile(join(dir, 'trust-anchors.json'), 'utf8'));
    expect(anchor!.jwks.keys.map((key) => key.kid)).not.toContain(first!.kid);
    expect(anchor!.jwks.keys).toHaveLength(1);
  });

  it('serve answers on the entity id\'s port until shut down, and sees enrollments made after it started', async () => {
    const served = join(parent, 'served');
    const port = await freePort();
    expect((await cli('init', '--dir', served, '--entity-id', `http://127.0.0.1:${port}/`, '--legacy')).code).toBe(EXIT_OK);
    const out: string[] = [];
    let listed: unknown;
    const code = await runFederationCli(['serve', '--dir', served], {
      out: (line) => out.push(line),
      err: (line) => out.push(line),
      waitForShutdown: async () => {
        expect((await fetch(`http://127.0.0.1:${port}/list`)).status).toBe(200);
        expect((await cli('enroll', RP, '--jwks', rpJwksFile, '--dir', served)).code).toBe(EXIT_OK);
        listed = await (await fetch(`http://127.0.0.1:${port}/list`)).json();
      },
    });
    expect(code).toBe(EXIT_OK);
    expect(out.join('\n')).toContain(`Serving the trust anchor http://127.0.0.1:${port}/`);
    expect(out.join('\n')).toContain('legacy names too');
    expect(listed).toEqual([RP]);
  });
});
