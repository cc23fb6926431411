import type { Context } from 'koa';
import { type BridgeState, queryText } from '../../bridge-state.js';

/** `GET /login/status?job`: polled by the progress page's script (same origin); the id is the only key. */
export function jobStatus(ctx: Context, state: BridgeState): void {
  const job = state.jobs.get(queryText(ctx, 'job'));
  ctx.set('Cache-Control', 'no-store');
  if (!job) {
    ctx.status = 404;
    ctx.body = { error: 'unknown_job' };
    return;
  }
  ctx.body = { state: job.outcome ? 'finished' : 'running', steps: job.steps };
}
