import { VirtualCieCard } from '../../../src/simulator/card/virtual-cie-card.js';
import { exchange } from './exchange.js';
import { replayRandom, traceCard, vectors, type Json } from './vectors.js';

const trace = vectors.cie_end_to_end_trace;
const plain = trace.dh.plain_apdus;

function newTraceCard(): VirtualCieCard {
  return new VirtualCieCard(traceCard(), {
    random: replayRandom([trace.dh.x_icc, trace.dapp_inputs.rnd_icc, trace.dapp_inputs.prnd2]),
  });
}

/** SELECT IAS and SELECT DF_CIE (protocol §2.1 steps 1–2) precede the trace's own APDUs. */
function selectCieApplication(card: VirtualCieCard): void {
  expect(exchange(card, '00A4040C0DA0000000308000000009816001')).toBe('9000');
  expect(exchange(card, '00A4040C06A00000000039')).toBe('9000');
}

describe('VirtualCieCard replays cie_end_to_end_trace from the card side', () => {
  it('answers every plain DH APDU and every protected command byte for byte', () => {
    const card = newTraceCard();
    selectCieApplication(card);

    expect(exchange(card, plain.get_data_g)).toBe(`${plain.get_data_g_response_data}9000`);
    expect(exchange(card, plain.get_data_p)).toBe(`${plain.get_data_p_response_data}9000`);
    expect(exchange(card, plain.get_data_q)).toBe(`${plain.get_data_q_response_data}9000`);
    expect(exchange(card, plain.get_data_ca_key)).toBe(`${trace.dapp_inputs.ca_get_data_response_data}9000`);
    expect(exchange(card, plain.mse_set_kat_block1)).toBe('9000');
    expect(exchange(card, plain.mse_set_kat_block2)).toBe('9000');
    expect(exchange(card, plain.get_data_y_icc)).toBe(`${plain.get_data_y_icc_response_data}9000`);

    let protectedExchanges = 0;
    for (const step of trace.steps as Json[]) {
      const pairs: Json[] = step.blocks ?? (step.command ? [step] : []);
      for (const pair of pairs) {
        expect({ step: step.step, response: exchange(card, pair.command.protected_apdu) }).toEqual({
          step: step.step,
          response: pair.response.response_apdu,
        });
        protectedExchanges++;
      }
    }
    expect(protectedExchanges).toBe(14);
  });

  it('delivers the 283-byte signature body as 256 bytes + 61 1B, then GET RESPONSE', () => {
    const card = newTraceCard();
    selectCieApplication(card);
    for (const apdu of [plain.mse_set_kat_block1, plain.mse_set_kat_block2]) exchange(card, apdu);
    const steps = trace.steps as Json[];
    const signIndex = steps.findIndex((s) => s.step.startsWith('INTERNAL AUTHENTICATE = sign'));
    for (const step of steps.slice(0, signIndex)) {
      for (const pair of step.blocks ?? (step.command ? [step] : [])) exchange(card, pair.command.protected_apdu);
    }
    const first = card.transmit(Buffer.from(steps[signIndex].command.protected_apdu, 'hex'));
    expect(first.length).toBe(258);
    expect(Buffer.from(first.subarray(256)).toString('hex').toUpperCase()).toBe('611B');
    const rest = card.transmit(Uint8Array.of(0x0c, 0xc0, 0x00, 0x00, 0x1b));
    expect(Buffer.concat([first.subarray(0, 256), rest]).toString('hex').toUpperCase()).toBe(steps[signIndex].response.response_apdu);
  });
});
