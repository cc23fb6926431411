import { createHash, createPublicKey, verify as verifySignature, X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toHex } from '../../../src/simulator/card/bytes.js';
import type { CieCardData } from '../../../src/simulator/card/card-data.js';
import { loadCardFile, openCardFile, saveCardFile } from '../../../src/simulator/card/card-file.js';
import { serializeCard } from '../../../src/simulator/card/card-file-format.js';
import { formatCardSummary } from '../../../src/simulator/card/card-summary.js';
import {
  createDeviceAuthKeys,
  deviceAuthCaPublic,
  readDeviceAuthKeysFile,
  writeDeviceAuthKeysFile,
  type DeviceAuthKeys,
} from '../../../src/simulator/card/device-auth-keys.js';
import { mintCard } from '../../../src/simulator/card/mint-card.js';
import { VirtualCieCard } from '../../../src/simulator/card/virtual-cie-card.js';
import { exchange } from './exchange.js';
import { runDhAndDapp } from './full-host.js';
import { testIssuer } from './test-issuer.js';
import { swHex, SmHost, traceRandom, verifyApdu } from './test-host.js';
import { traceCard } from './vectors.js';

const holder = { fiscalCode: 'RSSMRA80A01H501U', givenName: 'Mario', familyName: 'Rossi', birthDate: '1980-01-01', email: 'mario@example.test' };

let dir: string;
let deviceKeys: DeviceAuthKeys;
let minted: CieCardData;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'virtual-card-'));
  deviceKeys = await createDeviceAuthKeys();
  minted = await mintCard({ holder, pin: '24681357', puk: '13572468', deviceAuthCa: deviceAuthCaPublic(deviceKeys) }, await testIssuer());
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('device-auth keys file', () => {
  it('has exactly the agreed JSON shape, upper-case hex, and reads back', async () => {
    const file = path.join(dir, 'device-auth.json');
    await writeDeviceAuthKeysFile(file, deviceKeys);
    const json = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(json)).toEqual(['version', 'ca', 'terminal']);
    expect(json.version).toBe(1);
    expect(Object.keys(json.ca)).toEqual(['n', 'e', 'd', 'chr', 'cha']);
    expect(Object.keys(json.terminal)).toEqual(['n', 'e', 'd']);
    for (const value of [...Object.values(json.ca), ...Object.values(json.terminal)]) expect(value).toMatch(/^(?:[0-9A-F]{2})+$/);
    expect(json.ca.n).toHaveLength(512);
    expect(json.ca.e).toBe('010001');
    const back = await readDeviceAuthKeysFile(file);
    expect(toHex(back.terminal.d)).toBe(json.terminal.d);
  });

  it('rejects a malformed file with a coded error', async () => {
    const file = path.join(dir, 'bad-device-auth.json');
    await writeFile(file, JSON.stringify({ version: 1, ca: { n: 'xyz' }, terminal: {} }));
    await expect(readDeviceAuthKeysFile(file)).rejects.toMatchObject({ code: 'device_keys_invalid' });
  });
});

describe('mintCard', () => {
  it('creates a card whose certificate certifies the ref-81 key', () => {
    const certificate = new X509Certificate(minted.authCertificate);
    expect(certificate.subject).toContain(`CN=${holder.fiscalCode}`);
    const certified = certificate.publicKey.export({ type: 'spki', format: 'der' });
    expect(toHex(certified)).toBe(toHex(createPublicKey(minted.authKey).export({ type: 'spki', format: 'der' })));
    expect(minted.nis).toMatch(/^[0-9]{12}$/);
    expect(minted.documentNumber).toMatch(/^[A-Z]{2}[0-9]{5}[A-Z]{2}$/);
    expect(minted.state).toEqual({ pin: '24681357', puk: '13572468', pinTriesLeft: 3, pukTriesLeft: 10, identityBlocked: false });
  });

  it('refuses a PIN that is not 8 digits without echoing it', async () => {
    const attempt = mintCard({ holder, pin: '1234', puk: '13572468', deviceAuthCa: deviceAuthCaPublic(deviceKeys) }, await testIssuer());
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_code' });
    await expect(attempt).rejects.not.toThrow(/1234/);
  });

  it('works end to end with fresh DH + DAPP from the device-auth keys: PIN, signature, certificate', () => {
    const card = new VirtualCieCard(minted);
    const { host } = runDhAndDapp(card, deviceKeys);
    expect(swHex(host.send(verifyApdu(0x81, '24681357')))).toBe('9000');
    expect(swHex(host.send('002241A406800102840181'))).toBe('9000');
    const digest = createHash('sha256').update('challenge').digest('hex').toUpperCase();
    const signature = host.send(`0088000033${'3031300D060960864801650304020105000420'}${digest}`);
    expect(swHex(signature)).toBe('9000');
    const certificate = new X509Certificate(minted.authCertificate);
    expect(verifySignature('sha256', Buffer.from('challenge'), certificate.publicKey, signature.data)).toBe(true);
    expect(swHex(host.send('00A4020C021003'))).toBe('9000');
    expect(toHex(host.send('00B0000080').data)).toBe(toHex(minted.authCertificate.subarray(0, 128)));
  });

  it('refuses a terminal certificate signed by another CA', async () => {
    const other = await createDeviceAuthKeys();
    const card = new VirtualCieCard(minted);
    expect(() => runDhAndDapp(card, { ...other, ca: { ...other.ca, chr: deviceKeys.ca.chr } })).toThrow(/PSO VERIFY CERTIFICATE answered 6300/);
  });
});

describe('card file', () => {
  it('round-trips through save and load, atomically (no temporary files left)', async () => {
    const file = path.join(dir, 'minted.json');
    await saveCardFile(file, minted);
    const loaded = await loadCardFile(file);
    expect(serializeCard(loaded)).toBe(serializeCard(minted));
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('PUK exhaustion is persisted: after reopening the file the identity is still blocked, the NIS still readable', async () => {
    const file = path.join(dir, 'trace-card.json');
    await saveCardFile(file, traceCard());
    const first = openCardFile(file, { random: traceRandom() });
    const host = SmHost.establish(first);
    for (let i = 0; i < 10; i++) host.send(verifyApdu(0x82, '00000000'));

    const stored = await loadCardFile(file);
    expect(stored.state).toMatchObject({ pukTriesLeft: 0, identityBlocked: true });
    const reopened = openCardFile(file, { random: traceRandom() });
    const again = SmHost.establish(reopened);
    expect(swHex(again.send(verifyApdu(0x81, '12345678')))).toBe('6983');
    expect(swHex(again.send(verifyApdu(0x82, '87654321')))).toBe('6983');
    expect(exchange(reopened, '00B081000C')).toBe(`${Buffer.from('123456789012').toString('hex').toUpperCase()}9000`);
    expect(formatCardSummary(stored)).toContain('BLOCKED for good');
  });

  it('rejects invalid files with coded errors that never contain the PIN', async () => {
    const file = path.join(dir, 'broken.json');
    const json = JSON.parse(serializeCard(traceCard()));
    await writeFile(file, JSON.stringify({ ...json, pin: '1234567' }));
    const failure = loadCardFile(file);
    await expect(failure).rejects.toMatchObject({ code: 'card_file_invalid', details: { field: 'pin' } });
    await expect(failure).rejects.not.toThrow(/1234567/);
    await expect(loadCardFile(path.join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'card_file_unreadable' });
  });

  it('the summary shows holder, NIS and counters but never PIN or PUK', () => {
    const summary = formatCardSummary(minted);
    expect(summary).toContain(minted.nis);
    expect(summary).toContain('PIN tries left:   3/3');
    expect(summary).toContain('RSSMRA80A01H501U');
    expect(summary).not.toContain('24681357');
    expect(summary).not.toContain('13572468');
  });
});
