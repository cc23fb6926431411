import type { RehearsalProcesses, RunAs } from './rehearsal-processes.js';

/**
 * A compose healthcheck `test` as Docker runs it inside the container (Compose Specification,
 * "healthcheck"): ["CMD-SHELL", command] through `/bin/sh -c`, ["CMD", program, args…] directly.
 * Bounded by 10 s (compose's own `timeout` is shorter; a check that hangs here is a failure too).
 */
export function runHealthcheck(test: string[], env: Record<string, string>, processes: RehearsalProcesses, as?: RunAs): Promise<{ code: number | null; output: string }> {
  const [kind, ...rest] = test;
  const options = { env, ...(as ? { as } : {}) };
  if (kind === 'CMD-SHELL' && rest.length === 1) return processes.run('/bin/sh', ['-c', rest[0]!], options, 10_000);
  if (kind === 'CMD' && rest.length > 0) return processes.run(rest[0]!, rest.slice(1), options, 10_000);
  throw new Error(`healthcheck test ${JSON.stringify(test)}: neither ["CMD-SHELL", command] nor ["CMD", program, …]`);
}
