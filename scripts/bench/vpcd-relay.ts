// Runs INSIDE the bench's network namespace (started through `nsenter -n`): vpcd's TCP port exists
// only there, while a Unix socket on the shared filesystem is reachable from the bench process.
// Each connection to the socket becomes one TCP connection to vpcd (one inserted card).
// Usage: node vpcd-relay.js <unix socket> <vpcd port>. Same design as test/support/vpcd-relay.mjs.
import { connect, createServer } from 'node:net';

const [socketPath, port] = process.argv.slice(2);
if (!socketPath || !port) throw new Error('usage: vpcd-relay.js <unix socket> <vpcd port>');

const server = createServer((card) => {
  const vpcd = connect({ host: '127.0.0.1', port: Number(port) });
  vpcd.setNoDelay(true);
  card.pipe(vpcd);
  vpcd.pipe(card);
  const closeBoth = () => {
    card.destroy();
    vpcd.destroy();
  };
  for (const socket of [card, vpcd]) {
    socket.on('error', closeBoth);
    socket.on('close', closeBoth);
  }
});

server.listen(socketPath, () => process.stdout.write('ready\n'));
