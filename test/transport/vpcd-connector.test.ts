import { createServer, type Server, type Socket } from 'node:net';
import { connectToVpcd, encodeVpcdFrame, VpcdFrameReader, type VpcdConnection } from '../../src/simulator/vpcd-connector.js';
import { GET_CHALLENGE, SELECT_IAS, TINY_CARD_ATR, TinyCard } from './tiny-card.js';

const frame = (...bytes: number[]) => Buffer.from([bytes.length >> 8, bytes.length & 0xff, ...bytes]);

/** Plays vpcd's side: listens, accepts the card, sends raw bytes and reads length-prefixed replies. */
class FakeVpcd {
  readonly #server: Server = createServer((socket) => this.#accept(socket));
  #socket: Socket | undefined;
  #connected!: () => void;
  readonly connected = new Promise<void>((resolve) => (this.#connected = resolve));
  #received = Buffer.alloc(0);
  #onData: (() => void) | undefined;
  #ended!: () => void;
  readonly ended = new Promise<void>((resolve) => (this.#ended = resolve));

  listen(): Promise<number> {
    return new Promise((resolve) => this.#server.listen(0, '127.0.0.1', () => resolve((this.#server.address() as { port: number }).port)));
  }

  send(bytes: Uint8Array): void {
    this.#socket?.write(bytes);
  }

  /** The next reply frame's payload. */
  async reply(): Promise<Buffer> {
    for (;;) {
      if (this.#received.length >= 2) {
        const end = 2 + this.#received.readUInt16BE(0);
        if (this.#received.length >= end) {
          const payload = this.#received.subarray(2, end);
          this.#received = this.#received.subarray(end);
          return payload;
        }
      }
      await new Promise<void>((resolve) => (this.#onData = resolve));
    }
  }

  /** Bytes the card sent that were not read as replies. */
  get unread(): number {
    return this.#received.length;
  }

  close(): Promise<void> {
    this.#socket?.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    this.#socket = socket;
    socket.on('data', (chunk) => {
      this.#received = Buffer.concat([this.#received, chunk]);
      this.#onData?.();
    });
    socket.on('end', () => this.#ended());
    socket.on('error', () => {});
    this.#connected();
  }
}

let vpcd: FakeVpcd;
let card: TinyCard;
let connection: VpcdConnection | undefined;

beforeEach(async () => {
  vpcd = new FakeVpcd();
  card = new TinyCard();
  connection = await connectToVpcd(card, { port: await vpcd.listen() });
  await vpcd.connected;
});

afterEach(async () => {
  await connection?.close();
  await vpcd.close();
});

test('answers GET ATR with the ATR and an APDU with the response', async () => {
  vpcd.send(frame(0x04));
  expect(await vpcd.reply()).toEqual(Buffer.from(TINY_CARD_ATR));
  vpcd.send(encodeVpcdFrame(SELECT_IAS));
  expect((await vpcd.reply()).toString('hex')).toBe('9000');
  expect(card.received).toEqual([SELECT_IAS]);
});

test('power off, power on and reset reach the card and get no reply', async () => {
  vpcd.send(Buffer.concat([frame(0x01), frame(0x00), frame(0x01), frame(0x02)]));
  vpcd.send(frame(0x04)); // a reply to this proves the control frames before it were handled
  expect(await vpcd.reply()).toEqual(Buffer.from(TINY_CARD_ATR));
  expect([card.powerOns, card.powerOffs, card.resets]).toEqual([2, 1, 1]);
  expect(vpcd.unread).toBe(0);
});

test('reassembles frames split anywhere, byte by byte', async () => {
  const bytes = Buffer.concat([encodeVpcdFrame(SELECT_IAS), frame(0x04)]);
  for (const byte of bytes) {
    vpcd.send(Uint8Array.of(byte));
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect((await vpcd.reply()).toString('hex')).toBe('9000');
  expect(await vpcd.reply()).toEqual(Buffer.from(TINY_CARD_ATR));
});

test('handles several frames in one chunk, GET ATR between APDUs included (power on + GET ATR = 01000104)', async () => {
  vpcd.send(Buffer.concat([frame(0x01), frame(0x04), encodeVpcdFrame(SELECT_IAS), frame(0x04), encodeVpcdFrame(GET_CHALLENGE)]));
  expect(await vpcd.reply()).toEqual(Buffer.from(TINY_CARD_ATR));
  expect((await vpcd.reply()).toString('hex')).toBe('9000');
  expect(await vpcd.reply()).toEqual(Buffer.from(TINY_CARD_ATR));
  const challenge = await vpcd.reply();
  expect(challenge).toHaveLength(10);
  expect(challenge.subarray(8).toString('hex')).toBe('9000');
  expect(card.powerOns).toBe(1);
});

test('close() ends the connection, which vpcd reads as card removal', async () => {
  await connection?.close();
  await vpcd.ended;
  await connection?.close();
});

test('fails with transport_failed when vpcd is not listening', async () => {
  const closed = new FakeVpcd();
  const port = await closed.listen();
  await closed.close();
  await expect(connectToVpcd(card, { port })).rejects.toMatchObject({ code: 'transport_failed' });
});

describe('framing', () => {
  test('a frame is the 2-byte big-endian length, then the payload', () => {
    expect(encodeVpcdFrame(new Uint8Array(0x0102)).subarray(0, 2).toString('hex')).toBe('0102');
    expect(encodeVpcdFrame(Uint8Array.of(0x90, 0x00)).toString('hex')).toBe('00029000');
  });

  test('the reader keeps partial frames until they are complete', () => {
    const reader = new VpcdFrameReader();
    expect(reader.push(Uint8Array.of(0x00))).toEqual([]);
    expect(reader.push(Uint8Array.of(0x03, 0xaa))).toEqual([]);
    expect(reader.push(Uint8Array.of(0xbb, 0xcc, 0x00, 0x01, 0x04, 0x00))).toEqual([Uint8Array.of(0xaa, 0xbb, 0xcc), Uint8Array.of(0x04)]);
    expect(reader.push(Uint8Array.of(0x01, 0x02))).toEqual([Uint8Array.of(0x02)]);
  });
});
