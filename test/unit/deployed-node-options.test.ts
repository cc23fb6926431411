import { spawnSync } from 'node:child_process';
import { deployedNodeOptions } from '../../scripts/bench/deployed-node-options.js';
import { runtimeImage } from '../observability/support/dockerfile-stages.js';

// The bench starts its providers with the image's Node options, read from the Dockerfile: one place says them.
test('the bench reads the image\'s NODE_OPTIONS, a young generation of 128 MiB per semi-space', () => {
  expect(deployedNodeOptions()).toBe(runtimeImage().env['NODE_OPTIONS']);
  expect(deployedNodeOptions()).toBe('--max-semi-space-size=128');
});

test('this Node accepts them in NODE_OPTIONS (an unknown or malformed option would stop the provider at start)', () => {
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(process.env.NODE_OPTIONS ?? "")'], { env: { ...process.env, NODE_OPTIONS: deployedNodeOptions() }, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toBe('--max-semi-space-size=128');
  const refused = spawnSync(process.execPath, ['-e', '0'], { env: { ...process.env, NODE_OPTIONS: '--max-semi-space-size=lots' }, encoding: 'utf8' });
  expect(refused.status).not.toBe(0);
});
