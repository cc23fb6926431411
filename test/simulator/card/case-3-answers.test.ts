import { VirtualCieCard } from '../../../src/simulator/card/virtual-cie-card.js';
import { fromHex, toHex } from '../../../src/simulator/card/bytes.js';
import { traceCard, vectors } from './vectors.js';

// A generic ISO 7816 host sends one APDU and reads one answer: it does not follow 61xx unless it asked for
// less than the card has (Le). These exchanges are raw: no GET RESPONSE is sent on the test's behalf.
const plain = vectors.cie_end_to_end_trace.dh.plain_apdus;

function selectedCard(): VirtualCieCard {
  const card = new VirtualCieCard(traceCard());
  for (const select of ['00A4040C0DA0000000308000000009816001', '00A4040C06A00000000039']) expect(toHex(card.transmit(fromHex(select)))).toBe('9000');
  return card;
}

describe('a command without Le (ISO case 3) whose answer is longer than 256 bytes', () => {
  it.each([
    ['GET DATA g', plain.get_data_g, plain.get_data_g_response_data],
    ['GET DATA p', plain.get_data_p, plain.get_data_p_response_data],
    ['GET DATA CA key', plain.get_data_ca_key, vectors.cie_end_to_end_trace.dapp_inputs.ca_get_data_response_data],
  ])('%s comes back whole in one answer ending 9000', (_name, command, data) => {
    const answer = toHex(selectedCard().transmit(fromHex(command)));
    expect(data.length / 2).toBeGreaterThan(256);
    expect(answer).toBe(`${data}9000`);
  });

  it('the combined g‖p‖q GET DATA of the Gemalto form is whole too', () => {
    const answer = selectedCard().transmit(fromHex('00CB3FFF0A4D087006BFA10102A380'));
    expect(answer.length).toBeGreaterThan(512);
    expect(toHex(answer.subarray(-2))).toBe('9000');
  });
});

describe('a command with Le (ISO case 4) still gets at most Ne bytes', () => {
  it('GET DATA g with Le 00 gets 256 bytes + 61 12, and GET RESPONSE 12 the last 18', () => {
    const card = selectedCard();
    const first = card.transmit(fromHex(`${plain.get_data_g}00`));
    expect(first.length).toBe(258);
    expect(toHex(first.subarray(256))).toBe('6112');
    const rest = card.transmit(fromHex('00C0000012'));
    expect(toHex(Buffer.concat([first.subarray(0, 256), rest]))).toBe(`${plain.get_data_g_response_data}9000`);
  });
});
