// Runs INSIDE the PC/SC test stack's network namespace (started by pcsc-harness.ts through
// `nsenter -n`): vpcd's TCP port is reachable only there, while a Unix socket on the shared
// filesystem is reachable from the test process. Each connection to the Unix socket becomes one
// TCP connection to vpcd (= one inserted card); closing either side closes the other (= removal).
// Plain JavaScript because it is started with a bare `node`. Usage: vpcd-relay.mjs <socket> <port>
import { createServer, connect } from 'node:net';

const [socketPath, port] = process.argv.slice(2);

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
// The harness holds our stdin open; when it goes away (even by a crash) so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
