import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../../src/shared/free-port.js';
import { ensureBuiltEntryPoint } from '../scale/support/built-entry-point.js';

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

test('ports picked one after another are all different, though none is bound yet (a stack picks four, then starts its servers)', async () => {
  const ports: number[] = [];
  for (let i = 0; i < 300; i += 1) ports.push(await freePort());
  expect(new Set(ports).size).toBe(ports.length);
});

test('two processes picking ports side by side (two test suites) never pick the same one', async () => {
  const entry = await ensureBuiltEntryPoint();
  const module = pathToFileURL(join(dirname(entry), 'shared', 'free-port.js')).href;
  const script = `const { freePort } = await import(${JSON.stringify(module)}); const ports = []; for (let i = 0; i < 200; i += 1) ports.push(await freePort()); process.stdout.write(JSON.stringify(ports));`;
  const pick = () => new Promise<number[]>((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as number[])));
  });
  const [first, second] = await Promise.all([pick(), pick()]);
  expect(first).toHaveLength(200);
  expect(first.filter((port) => second.includes(port))).toEqual([]);
}, 120_000);
