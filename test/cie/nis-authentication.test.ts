import { createHash, randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseDeviceAuthKeys } from '../../src/card/device-auth-keys.js';
import { CieCard } from '../../src/card/cie-card.js';
import type { NisEvidence } from '../../src/card/nis-authentication.js';
import { verifyNisAuthentication } from '../../src/cie/nis/index.js';
import type { CieCardData } from '../../src/simulator/card/card-data.js';
import { serializeDeviceAuthKeys } from '../../src/simulator/card/device-auth-keys.js';
import { rsaPublicKeyPkcs1Der } from '../../src/simulator/card/rsa.js';
import { VirtualCieCard } from '../../src/simulator/card/virtual-cie-card.js';
import { loadDocumentSigner } from '../../src/simulator/pki/document-signer.js';
import { InProcessTerminal } from '../../src/transport/in-process.js';
import { mintSodCard, type SodCard } from '../simulator/card/sod-fixture.js';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';

let minted: SodCard;
let csca: Uint8Array;
let otherDir: string;

beforeAll(async () => {
  minted = await mintSodCard();
  csca = new Uint8Array(minted.signer.cscaCertificate.rawData);
  otherDir = await mkdtemp(path.join(tmpdir(), 'other-csca-'));
});

afterAll(async () => {
  await rm(minted.dir, { recursive: true, force: true });
  await rm(otherDir, { recursive: true, force: true });
});

/** The host reads the evidence from a virtual card through the pure protocol, as a verifier's reader would. */
async function readEvidence(card: CieCardData, challenge: Uint8Array): Promise<NisEvidence> {
  const terminal = new InProcessTerminal(new VirtualCieCard(card));
  const transport = await terminal.connect();
  try {
    const deviceAuthKeys = parseDeviceAuthKeys(JSON.parse(serializeDeviceAuthKeys(minted.deviceKeys)));
    return await new CieCard(transport, { deviceAuthKeys }).readNisEvidence(challenge);
  } finally {
    await transport.close();
  }
}

async function verifyCard(card: CieCardData, trustedCscas = [csca], now?: Date) {
  const challenge = randomBytes(16);
  const evidence = await readEvidence(card, challenge);
  return verifyNisAuthentication(evidence, { challenge, trustedCscas, ...(now ? { now } : {}) });
}

const flipByte = (bytes: Uint8Array, index: number) => {
  const copy = Uint8Array.from(bytes);
  copy[index]! ^= 0x01;
  return copy;
};

describe('NIS authentication against EF.SOD and the CSCA', () => {
  it('accepts a genuine card: NIS and key 83 as EF.SOD hashes them, signed by a DS of the trusted CSCA, and the chip signs the challenge', async () => {
    const challenge = randomBytes(16);
    const evidence = await readEvidence(minted.card, challenge);
    expect(evidence.nis).toBe(minted.card.nis);
    // reset; SELECT IAS, DF_CIE; NIS; SELECT + 3 READ BINARY of 10 05; SELECT + reads of 10 06; MSE SET; INTERNAL AUTHENTICATE.
    expect(evidence.stats.apdus).toBe(2 + 1 + 4 + 1 + Math.ceil(minted.card.sod!.length / 128) + 2);
    const verified = await verifyNisAuthentication(evidence, { challenge, trustedCscas: [csca] });
    expect(verified).toMatchObject({ nis: minted.card.nis, hashAlgorithm: 'SHA-512', dataGroups: [0xa5, 0x1b, 0xa4, 0xa3, 0xa2, 0xa1] });
    expect(verified.documentSigner.subject).toContain('eIdentityCardSigner (TEST)');
    expect(verified.documentSigner.serialNumber).toBe(minted.signer.certificate.serialNumber.toLowerCase());
  });

  it('refuses a tampered NIS (the card answers another NIS than EF.SOD hashes) with nis_mismatch', async () => {
    const otherNis = minted.card.nis === '000000000000' ? '111111111111' : '000000000000';
    await expect(verifyCard({ ...minted.card, nis: otherNis })).rejects.toMatchObject({ code: 'nis_mismatch' });
  });

  it('refuses a tampered EF.SOD with sod_signature_invalid: a changed NIS hash, a changed signature byte', async () => {
    const sod = minted.card.sod!;
    const nisHash = createHash('sha512').update(minted.card.nis).digest();
    const hashAt = Buffer.from(sod).indexOf(nisHash);
    expect(hashAt).toBeGreaterThan(0);
    await expect(verifyCard({ ...minted.card, sod: flipByte(sod, hashAt) })).rejects.toMatchObject({ code: 'sod_signature_invalid' });
    await expect(verifyCard({ ...minted.card, sod: flipByte(sod, sod.length - 10) })).rejects.toMatchObject({ code: 'sod_signature_invalid' });
  });

  it('refuses an EF.SOD that is not one (a broken tag 77, trailing bytes) with sod_malformed', async () => {
    const sod = minted.card.sod!;
    await expect(verifyCard({ ...minted.card, sod: flipByte(sod, 0) })).rejects.toMatchObject({ code: 'sod_malformed' });
    await expect(verifyCard({ ...minted.card, sod: Uint8Array.from([0x77, 0x03, 0x02, 0x01, 0x00]) })).rejects.toMatchObject({ code: 'sod_malformed' });
  });

  it('refuses a foreign CSCA with sod_signer_untrusted: another CSCA of the same name, or the authentication root', async () => {
    const foreign = await loadDocumentSigner(otherDir);
    expect(foreign.cscaCertificate.subject).toBe(minted.signer.cscaCertificate.subject);
    await expect(verifyCard(minted.card, [new Uint8Array(foreign.cscaCertificate.rawData)])).rejects.toMatchObject({ code: 'sod_signer_untrusted' });
    const authenticationRoot = await readFile(path.join(minted.dir, 'root-ca.pem'), 'utf8');
    const rootDer = Buffer.from(authenticationRoot.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    await expect(verifyCard(minted.card, [new Uint8Array(rootDer)])).rejects.toMatchObject({ code: 'sod_signer_untrusted' });
  });

  it('refuses a Document Signer no longer valid with sod_signer_expired', async () => {
    await expect(verifyCard(minted.card, [csca], new Date(Date.UTC(2100, 0, 1)))).rejects.toMatchObject({ code: 'sod_signer_expired' });
  });

  it('refuses a card whose key 83 is not the one EF.SOD hashes with services_key_mismatch', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expect(verifyCard({ ...minted.card, servicesKey: privateKey })).rejects.toMatchObject({ code: 'services_key_mismatch' });
    expect(rsaPublicKeyPkcs1Der(privateKey)).not.toEqual(rsaPublicKeyPkcs1Der(minted.card.servicesKey));
  });

  it('refuses a signature over another challenge (a replayed answer) with chip_authentication_failed', async () => {
    const evidence = await readEvidence(minted.card, randomBytes(16));
    await expect(verifyNisAuthentication(evidence, { challenge: randomBytes(16), trustedCscas: [csca] })).rejects.toMatchObject({
      code: 'chip_authentication_failed',
    });
  });

  it('a card minted before EF.SOD was emulated cannot be NIS-authenticated (SELECT 10 06 → 6A82)', async () => {
    const { sod: _sod, ...withoutSod } = minted.card;
    await expect(readEvidence(withoutSod, randomBytes(16))).rejects.toMatchObject({ code: 'card_error', details: { sw: '6A82' } });
  });
});
