import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuiltEntryPoint } from '../scale/support/built-entry-point.js';

// Operator commands leave a machine-readable line in the operations log; their own output stays human.
test('cie-registry writes one JSON event per run on stderr (command, exit code), its human message beside it', async () => {
  await ensureBuiltEntryPoint();
  const dir = await mkdtemp(join(tmpdir(), 'cie-registry-cli-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, KEYS_DIR: join(dir, 'no-keys'), REGISTRY_DIR: join(dir, 'registry'), DATABASE_URL: '' };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [join('dist', 'src', 'registry', 'cli.js'), 'checkpoint'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const events = stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events).toEqual([expect.objectContaining({ level: 'info', service: 'registry-cli', component: 'registry', event: 'registry_command', command: 'checkpoint', exit_code: 1 })]);
    expect(stderr).toMatch(/^cie-registry checkpoint: /m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 180_000);
