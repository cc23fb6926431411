import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { fromHex, toHex } from '../../../src/simulator/card/bytes.js';
import { parseCard, serializeCard } from '../../../src/simulator/card/card-file-format.js';
import { formatCardSummary } from '../../../src/simulator/card/card-summary.js';
import { dataGroupContents } from '../../../src/simulator/card/data-groups.js';
import { dataGroupNumberOf, LdsSecurityObject } from '../../../src/simulator/card/lds-security-object.js';
import { VirtualCieCard } from '../../../src/simulator/card/virtual-cie-card.js';
import { exchange } from './exchange.js';
import { mintSodCard, type SodCard } from './sod-fixture.js';

let minted: SodCard;

beforeAll(async () => {
  minted = await mintSodCard();
});

afterAll(async () => {
  await rm(minted.dir, { recursive: true, force: true });
});

function selectedCard(): VirtualCieCard {
  const card = new VirtualCieCard(minted.card);
  for (const select of ['00A4040C0DA0000000308000000009816001', '00A4040C06A00000000039']) expect(exchange(card, select)).toBe('9000');
  return card;
}

/** Reads a plain EF with READ BINARY chunks of 128 bytes until 6282/6B00, as the middleware's `readfile` does. */
function readWholeFile(card: VirtualCieCard): Uint8Array {
  const chunks: string[] = [];
  for (let offset = 0; ; offset += 128) {
    const answer = exchange(card, `00B0${offset.toString(16).padStart(4, '0')}80`);
    chunks.push(answer.slice(0, -4));
    if (!answer.endsWith('9000')) break;
  }
  return fromHex(chunks.join(''));
}

describe('EF.SOD (10 06) on a minted card', () => {
  it('is a plain file: SELECT by FID gives its FCP, READ BINARY by SFI 86 needs no PIN or SM', () => {
    const card = selectedCard();
    const size = minted.card.sod!.length;
    expect(exchange(card, '00A4020402100600')).toBe(`620B${'8002' + size.toString(16).padStart(4, '0').toUpperCase()}820101` + '83021006' + '9000');
    expect(exchange(card, '00B0860004')).toBe(`${toHex(minted.card.sod!.subarray(0, 4))}9000`);
    expect(toHex(readWholeFile(card))).toBe(toHex(minted.card.sod!));
  });

  it('is tag 77 around a SignedData v3 (SHA-512) of an LDS security object v1 hashing the data groups like the real sample', () => {
    const sod = minted.card.sod!;
    expect(sod[0]).toBe(0x77);
    const contentInfo = AsnConvert.parse(sod.subarray(4), ContentInfo);
    expect(contentInfo.contentType).toBe('1.2.840.113549.1.7.2');
    const signedData = AsnConvert.parse(contentInfo.content, SignedData);
    expect(signedData.version).toBe(3);
    expect(signedData.digestAlgorithms.map((a) => a.algorithm)).toEqual(['2.16.840.1.101.3.4.2.3']);
    expect(signedData.encapContentInfo.eContentType).toBe('2.23.136.1.1.1');
    const [signerInfo] = signedData.signerInfos;
    expect(signerInfo!.version).toBe(1);
    expect(signerInfo!.sid.issuerAndSerialNumber).toBeDefined();
    expect(signerInfo!.signedAttrs!.map((a) => a.attrType)).toEqual(['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4']);
    expect(signerInfo!.signatureAlgorithm.algorithm).toBe('1.2.840.113549.1.1.10');

    const eContent = signedData.encapContentInfo.eContent!.single!.buffer;
    const securityObject = AsnConvert.parse(eContent, LdsSecurityObject);
    expect(securityObject.version).toBe(1);
    expect(securityObject.hashAlgorithm.algorithm).toBe('2.16.840.1.101.3.4.2.3');
    expect(securityObject.ldsVersionInfo).toMatchObject({ ldsVersion: '0108', unicodeVersion: '040000' });
    // One-byte INTEGERs, as the real card writes them (02 01 A5 …), in the real sample's order.
    expect(securityObject.dataGroupHashValues.map(dataGroupNumberOf)).toEqual([0xa5, 0x1b, 0xa4, 0xa3, 0xa2, 0xa1]);
    expect(toHex(new Uint8Array(eContent))).toContain('30450201A50440');
    const contents = dataGroupContents(minted.card);
    for (const hash of securityObject.dataGroupHashValues) {
      const expected = createHash('sha512').update(contents.get(dataGroupNumberOf(hash))!).digest('hex').toUpperCase();
      expect(toHex(new Uint8Array(hash.dataGroupHashValue.buffer))).toBe(expected);
    }
    expect(toHex(contents.get(0xa1)!)).toBe(Buffer.from(minted.card.nis, 'ascii').toString('hex').toUpperCase());
  });

  it('verifies with OpenSSL against the CSCA, an implementation nobody here wrote', async () => {
    const sodPath = path.join(minted.dir, 'sod.der');
    await writeFile(sodPath, minted.card.sod!.subarray(4));
    const out = execFileSync('openssl', ['cms', '-verify', '-inform', 'DER', '-in', sodPath, '-CAfile', path.join(minted.dir, 'csca.pem'), '-purpose', 'any', '-out', '/dev/null'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out.toString()).toBe('');
  });

  it('is absent (6A82) on a card minted without a Document Signer, as on card files from before', () => {
    const { sod: _sod, ...withoutSod } = minted.card;
    const card = new VirtualCieCard(withoutSod);
    for (const select of ['00A4040C0DA0000000308000000009816001', '00A4040C06A00000000039']) exchange(card, select);
    expect(exchange(card, '00A40204021006')).toBe('6A82');
  });

  it('survives the card file and `cie-card show` prints what it says', () => {
    const stored = parseCard(JSON.parse(serializeCard(minted.card)));
    expect(toHex(stored.sod!)).toBe(toHex(minted.card.sod!));
    const summary = formatCardSummary(stored);
    expect(summary).toMatch(/^Document Signer: {2}.*CN=eIdentityCardSigner \(TEST\)$/m);
    expect(summary).toMatch(/issued by .*CN=Italian Country Signer CA \(TEST\)/);
    expect(summary).toContain(`serial ${minted.signer.certificate.serialNumber.toUpperCase()}`);
    expect(summary).toContain('LDS security object v1, SHA-512 hashes, signature RSASSA-PSS');
    const nisHash = createHash('sha512').update(minted.card.nis).digest('hex').toUpperCase();
    expect(summary).toContain(`DG A1: ${nisHash}`);
    expect(summary.match(/DG [0-9A-F]{2}: /g)).toEqual(['DG A5: ', 'DG 1B: ', 'DG A4: ', 'DG A3: ', 'DG A2: ', 'DG A1: ']);
    const { sod: _sod, ...withoutSod } = minted.card;
    expect(formatCardSummary(withoutSod)).toContain('EF.SOD:           none');
  });
});
