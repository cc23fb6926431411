import { constants, createPublicKey, publicDecrypt } from 'node:crypto';
import { atrFor } from '../../../src/simulator/card/atr.js';
import { toHex } from '../../../src/simulator/card/bytes.js';
import { VirtualCieCard } from '../../../src/simulator/card/virtual-cie-card.js';
import { exchange } from './exchange.js';
import { swHex, SmHost, traceRandom, verifyApdu } from './test-host.js';
import { traceCard, vectors } from './vectors.js';

const SELECT_IAS = '00A4040C0DA0000000308000000009816001';
const SELECT_CIE = '00A4040C06A00000000039';
const NIS_HEX = Buffer.from('123456789012', 'ascii').toString('hex').toUpperCase();

function plainCard(family: 'gemalto' | 'nxp' = 'gemalto'): VirtualCieCard {
  return new VirtualCieCard({ ...traceCard(), family }, { random: traceRandom() });
}

describe('ATR and application selection', () => {
  it('presents the real Gemalto ATR by default and a checksummed NXP ATR on request', () => {
    expect(toHex(plainCard().atr)).toBe('3B8F800180318065B085040011120FFF8290008A');
    const nxp = plainCard('nxp').atr;
    expect(toHex(nxp)).toMatch(/^3B8E800180318065494E58501|^3B8E8001803180654954/);
    expect(nxp.subarray(1).reduce((acc, byte) => acc ^ byte, 0)).toBe(0);
    expect(toHex(atrFor('nxp'))).toBe(toHex(nxp));
  });

  it('reads the NIS in plain after SELECT MF (NXP path) or SELECT IAS, then SELECT DF_CIE', () => {
    for (const first of ['00A40000', SELECT_IAS]) {
      const card = plainCard('nxp');
      expect(exchange(card, first)).toBe('9000');
      expect(exchange(card, SELECT_CIE)).toBe('9000');
      expect(exchange(card, '00B081000C')).toBe(`${NIS_HEX}9000`);
    }
  });
});

describe('SELECT and READ BINARY', () => {
  it('returns the FCP with the file size for P2=04 with Le, nothing without Le', () => {
    const card = plainCard();
    exchange(card, SELECT_CIE);
    expect(exchange(card, '00A40204021001')).toBe('9000');
    expect(exchange(card, '00A4020402100100')).toBe('620B8002000C820101830210019000');
  });

  it('signals 6282 for a short last chunk, 6B00 past the end, 6Cxx without Le, 6A82 for unknown files', () => {
    const card = plainCard();
    exchange(card, SELECT_CIE);
    exchange(card, '00A4020C021001');
    expect(exchange(card, '00B0000008')).toBe(`${NIS_HEX.slice(0, 16)}9000`);
    expect(exchange(card, '00B0000808')).toBe(`${NIS_HEX.slice(16)}6282`);
    expect(exchange(card, '00B0000C08')).toBe('6B00');
    expect(exchange(card, '00B00000')).toBe('6C0C');
    expect(exchange(card, '00A4020C021099')).toBe('6A82');
    expect(exchange(card, '00A4030C021001')).toBe('6A86');
  });

  it('serves the chip and services public keys (EF 10 04, 10 05) in plain as PKCS#1 DER', () => {
    const card = plainCard();
    exchange(card, SELECT_CIE);
    const der = exchange(card, '00B0850000').slice(0, -4);
    const expected = createPublicKey(traceCard().servicesKey).export({ type: 'pkcs1', format: 'der' });
    expect(der).toBe(toHex(expected).slice(0, 512));
  });

  it('keeps EF 10 02 / 10 03 closed in plain and under SM before the PIN, open after it', () => {
    const card = plainCard();
    const host = SmHost.establish(card);
    expect(exchange(card, '00A4020C021003')).toBe('9000');
    expect(exchange(card, '00B0000010')).toBe('6982');
    expect(swHex(host.send('00B0000010'))).toBe('6982');
    expect(swHex(host.send(verifyApdu(0x81, '12345678')))).toBe('9000');
    const read = host.send('00B0000010');
    expect(swHex(read)).toBe('9000');
    expect(toHex(read.data)).toBe(vectors.cie_sm_responses[1].data_plain.slice(0, 32));
    expect(swHex(host.send('00A4020C021002'))).toBe('9000');
    expect(Buffer.from(host.send('00B0000009').data).toString('ascii')).toBe('CA00000AA');
  });
});

describe('GET DATA', () => {
  it('answers the combined Gemalto request with g, p and q', () => {
    const card = plainCard();
    const answer = exchange(card, '00CB3FFF0A4D087006BFA10102A380');
    const { g, p, q } = vectors.cie_end_to_end_trace.dh;
    expect(answer).toBe(`70820234BFA10182022EA382022A978201 00${g}98820100${p}9920${q}9000`.replace(/ /g, ''));
  });

  it('refuses Y_ICC before key agreement and unknown templates', () => {
    const card = plainCard();
    expect(exchange(card, '00CB3FFF064D04A6029100')).toBe('6985');
    expect(exchange(card, '00CB3FFF034D0199')).toBe('6A88');
  });
});

describe('PIN-less internal authentication with key 83', () => {
  it('signs a raw challenge with type-01 padding, without SM or PIN', () => {
    const card = plainCard();
    exchange(card, SELECT_IAS);
    exchange(card, SELECT_CIE);
    expect(exchange(card, '002241A406800102840183')).toBe('9000');
    const signature = exchange(card, '008800000823B2F694742EE74500').slice(0, -4);
    const raw = publicDecrypt({ key: createPublicKey(traceCard().servicesKey), padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signature, 'hex'));
    expect(toHex(raw)).toBe('23B2F694742EE745');
    const nisVector = vectors.cie_pkcs1_v15.find((v: { id: string }) => v.id === 'cie-pkcs1-raw-nis-challenge');
    expect(signature).toBe(nisVector.signature);
  });
});
