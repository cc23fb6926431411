import type { Context } from 'koa';
import { type BridgeState, queryText } from '../../bridge-state.js';
import { outcomePage } from './outcome-page.js';
import { signInMessage } from './sign-in-answers.js';

/** `GET /login/result?job`: the finished job's outcome, handed out once. */
export async function jobResult(ctx: Context, state: BridgeState): Promise<void> {
  const job = await state.jobs.take(queryText(ctx, 'job'));
  const request = job && state.pending.peek(job.owner);
  if (!job || !request) return signInMessage(ctx, state, undefined, 'expired');
  await outcomePage(ctx, state, request, job);
}
