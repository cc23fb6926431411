import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../shared/project-root.js';

export interface BridgeHandle {
  url: string;
  close(): Promise<void>;
}

/**
 * Runs `cie-bridge serve` as its own process, as citizens run the "Software CIE": the PIN lives
 * only in that process. The virtual card is handed in by the developer command `cie-bridge-virtual`
 * (the production `cie-bridge` knows PC/SC only). Needs the compiled CLI (dist/), which `npm start` builds first.
 */
export function spawnBridgeProcess(env: Record<string, string>): Promise<BridgeHandle> {
  const entry = env.BRIDGE_TRANSPORT === 'pcsc' ? ['bridge', 'cli.js'] : ['simulator', 'virtual-bridge', 'cli.js'];
  const cli = join(projectRoot(), 'dist', 'src', ...entry);
  const child = spawn(process.execPath, [cli, 'serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (!url) return;
      child.stdout.off('data', onData);
      child.stdout.pipe(process.stdout);
      resolve({
        url,
        close: () => new Promise((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the bridge process exited (${code}) before listening: ${output.trim()}`)));
  });
}
