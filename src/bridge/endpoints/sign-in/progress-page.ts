import type { Context } from 'koa';
import { renderBridgePage, signInLink } from '../../bridge-pages.js';
import { type BridgeState, queryText } from '../../bridge-state.js';
import { defaultHelpOrigin, signInMessage } from './sign-in-answers.js';

const CARD_STEPS = ['card_found', 'secure_channel', 'pin_checked', 'signed'] as const;

/** `GET /login/progress?job`: the card's steps while it works; its script polls `/login/status`. */
export async function progressPage(ctx: Context, state: BridgeState): Promise<void> {
  const job = state.jobs.get(queryText(ctx, 'job'));
  const request = job && state.pending.peek(job.owner);
  if (!job || !request) return signInMessage(ctx, state, undefined, 'expired');
  await renderBridgePage(ctx, 'progress', request.language, { jobId: job.id, steps: CARD_STEPS, done: new Set(job.steps) }, {
    helpOrigin: defaultHelpOrigin(state),
    signIn: signInLink(request),
    connectToSelf: true,
  });
}
