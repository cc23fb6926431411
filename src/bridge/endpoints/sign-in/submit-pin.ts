import type { Context } from 'koa';
import { readForm } from '../../../shared/form-body.js';
import { digestToSign } from '../../assertion-builder.js';
import type { BridgeState } from '../../bridge-state.js';
import { isOwnOrigin } from '../../loopback-guard.js';
import { EIGHT_DIGITS } from '../../new-pin-policy.js';
import { outcomePage } from './outcome-page.js';
import { pinPage, signInMessage } from './sign-in-answers.js';

const PIN_FORM_LIMIT = 2048;

/**
 * `POST /login`: the PIN goes to the card and is forgotten; it never appears in a response, URL or log.
 * With JavaScript (`progress=1`) the card job starts and the answer is a 303 to the progress page;
 * without, the POST waits for the card and answers with the outcome itself.
 */
export async function submitPin(ctx: Context, state: BridgeState): Promise<void> {
  // Only our own PIN page may submit a PIN: another page could otherwise burn the card's tries.
  if (!isOwnOrigin(ctx.get('origin'), state.deps.port())) return signInMessage(ctx, state, undefined, 'forbidden_origin');
  const form = await readForm(ctx, PIN_FORM_LIMIT);
  const request = state.pending.find(form.get('request') ?? '', form.get('token') ?? '');
  if (!request) return signInMessage(ctx, state, undefined, 'expired');
  const pin = form.get('pin') ?? '';
  if (!EIGHT_DIGITS.test(pin)) return pinPage(ctx, state, request, { code: 'invalid_pin_format' });
  const digest = digestToSign(request.origin, request.challenge);
  const job = state.jobs.start(request.id, (onStep) => state.deps.signer.sign(pin, digest, onStep));
  if (form.get('progress') === '1') {
    ctx.status = 303;
    ctx.redirect(`/login/progress?job=${job.id}`);
    return;
  }
  // A double submit joins the running job; whichever answer comes first hands out the outcome.
  await job.done;
  await state.jobs.take(job.id);
  await outcomePage(ctx, state, request, job);
}
