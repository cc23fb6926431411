import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * Runs `work` under the V8 CPU profiler and writes a .cpuprofile (the `--cpu-prof` format) to
 * `path`. Unlike `node --cpu-prof` it covers only `work`, not the bench's own set-up and signing.
 */
export async function withCpuProfile<T>(path: string, work: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = await session.post('Profiler.stop');
    await writeFile(path, JSON.stringify(profile));
    return result;
  } finally {
    session.disconnect();
  }
}
