import type { Context } from 'koa';
import type { ApprovalRecord, ApprovalView } from '../../credentials/app-approvals.js';
import { renderPage } from '../../shared/html.js';
import type { Language } from '../../shared/language.js';
import { labelledQr, qrLink } from '../qr-code.js';
import { displayTypedCode } from '../random-handles.js';
import { appMessages } from '../app-messages.js';

/** The level-2 QR's link: `<origin>/app/l2#<nonce>` (the nonce in the fragment, never sent to a server by a browser). */
export const L2_QR_PATH = '/app/l2';

/**
 * The QR method's waiting page: the QR and the typed code, the live status (role=status, polled by
 * /assets/sign-in/app-approval.js; without script, "Continua" asks again), "Annulla".
 */
export async function renderQrWaitingPage(ctx: Context, input: { ceremonyId: string; origin: string; record: ApprovalRecord; view: ApprovalView; language: Language }): Promise<void> {
  const m = appMessages(input.language);
  const link = qrLink(input.origin, input.record.qrNonce ?? '', L2_QR_PATH);
  const base = `/sign-in/app/${input.ceremonyId}`;
  await renderPage(ctx, 'sign-in/app-qr', {
    lang: input.language,
    m,
    title: m.qrTitle,
    assets: '/assets',
    requester: input.record.requester,
    qr: await labelledQr(link, m.qrLabel),
    qrLink: link,
    typedCode: input.record.typedCode ? displayTypedCode(input.record.typedCode) : '',
    host: new URL(input.origin).host,
    state: input.view.state,
    deadline: input.view.expiresAt,
    statusPath: `${base}/status`,
    finishPath: `${base}/finish`,
    cancelPath: `${base}/cancel`,
  }, { languageSwitchPath: base, connectToSelf: true });
}
