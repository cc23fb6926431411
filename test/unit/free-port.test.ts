import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort } from '../../src/shared/free-port.js';

test('freePort gives a bindable loopback port below the ephemeral range, where outgoing connections never land', async () => {
  const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const ports = await Promise.all(Array.from({ length: 5 }, () => freePort()));
  for (const port of ports) {
    expect(port).toBeLessThan(ephemeralLow!);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  }
});

test('freePort({ alsoFree }) gives a port whose partner (a Redis Cluster bus: port + 10000) is free and below the ephemeral range too', async () => {
  const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  for (let i = 0; i < 5; i += 1) {
    const port = await freePort({ alsoFree: 10_000 });
    expect(port + 10_000).toBeLessThan(ephemeralLow!);
    for (const bound of [port, port + 10_000]) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(bound, '127.0.0.1', resolve);
      });
      await new Promise((resolve) => server.close(resolve));
    }
  }
});
