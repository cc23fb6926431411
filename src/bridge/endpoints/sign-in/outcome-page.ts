import type { Context } from 'koa';
import { CodedError } from '../../../shared/coded-error.js';
import { isRetryable } from '../../../shared/errors/error-table.js';
import { buildAssertion } from '../../assertion-builder.js';
import { triesLeftOf } from '../../bridge-error-text.js';
import { renderBridgePage, signInLink } from '../../bridge-pages.js';
import type { BridgeState, SignedByCard } from '../../bridge-state.js';
import type { CardJob } from '../../card-jobs.js';
import type { PendingRequest } from '../../pending-requests.js';
import { defaultHelpOrigin, pinPage, signInMessage } from './sign-in-answers.js';

/** What the citizen sees once the card is done: the assertion on its way, or what went wrong. */
export async function outcomePage(ctx: Context, state: BridgeState, request: PendingRequest, job: CardJob<SignedByCard>): Promise<void> {
  const outcome = job.outcome!;
  if (!outcome.ok) return failurePage(ctx, state, request, outcome.error);
  state.pending.close(request.id);
  const assertion = buildAssertion({ origin: request.origin, challenge: request.challenge, ...outcome.value, bridgeVersion: state.deps.version });
  await renderBridgePage(ctx, 'forward', request.language, { assertion }, { helpOrigin: defaultHelpOrigin(state), signIn: signInLink(request) });
}

/**
 * A failure the error table calls retryable brings the PIN page back; a blocked PIN keeps the sign-in
 * open; anything else ends it.
 */
async function failurePage(ctx: Context, state: BridgeState, request: PendingRequest, error: unknown): Promise<void> {
  if (!(error instanceof CodedError)) throw error;
  const params = triesLeftOf(error.details);
  if (isRetryable(error.code)) return pinPage(ctx, state, request, { code: error.code, params });
  // Kept open: after unblocking the PIN the citizen comes back to this same sign-in.
  if (error.code === 'pin_blocked') {
    return renderBridgePage(ctx, 'blocked', request.language, { code: error.code }, { status: 409, helpOrigin: defaultHelpOrigin(state), signIn: signInLink(request) });
  }
  state.pending.close(request.id);
  return signInMessage(ctx, state, request, error.code, { status: 409, params });
}
