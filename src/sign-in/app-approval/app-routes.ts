import Router from '@koa/router';
import type { Context } from 'koa';
import { renderPage } from '../../shared/html.js';
import { requestLanguage } from '../../shared/request-language.js';
import { StorageUnavailableError } from '../../storage/storage-unavailable-error.js';
import { rateLimitHits } from '../../observability/metrics.js';
import { hitNetworkLimit } from '../network-limit.js';
import type { AppApprovalDeps } from './app-approval-deps.js';
import { answerAppError, answeringApp } from './app-json.js';
import { appMessages } from '../app-messages.js';
import { decideApproval, openApproval, pendingApprovals } from './approval-endpoints.js';
import { completeEnrolment, openEnrolment } from './enrolment-endpoints.js';

type AppEndpoint = (deps: AppApprovalDeps, ctx: Context) => Promise<void>;

/** The app's own calls (JSON, no cookie): the storage guard answers them with JSON, never a page. */
export const isAppCall = (ctx: Context): boolean => ctx.path.startsWith('/app/') && ctx.path !== '/app/l2';

/**
 * The CieID app's API for the level-2 factor (docs/app-protocol.md, "Level 2: the app as a factor"):
 * enrolment (a card read certifies the device), the pending push, opening a QR, the decision. All
 * POST JSON ≤ 20 KiB, no cookie, never cached, counted in the card endpoints' per-network window.
 * `GET /app/l2` is where a phone camera without the app lands.
 */
export function appRoutes(deps: AppApprovalDeps): Router {
  const router = new Router();
  const table: [path: string, endpoint: AppEndpoint][] = [
    ['/app/devices/enrolments', openEnrolment],
    ['/app/devices/enrolments/:id', completeEnrolment],
    ['/app/approvals/pending', pendingApprovals],
    ['/app/approvals/open', openApproval],
    ['/app/approvals/:id', decideApproval],
  ];

  // Storage down: the request is flagged, and the provider's storage guard answers its 503 JSON.
  router.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof StorageUnavailableError)) throw error;
      ctx.status = 503;
    }
  });

  router.get('/app/l2', (ctx) => {
    const lang = requestLanguage(ctx);
    const m = appMessages(lang);
    return renderPage(ctx, 'sign-in/app-l2-help', { lang, m, title: m.l2HelpTitle, assets: '/assets' });
  });

  const limited = async (ctx: Context, endpoint: AppEndpoint) => {
    if (deps.perNetwork.enabled) {
      const verdict = await hitNetworkLimit(ctx, deps.perNetwork, 'app-approval');
      if (!verdict.allowed) {
        rateLimitHits.inc({ limit: 'too_many_requests' });
        return answerAppError(ctx, 'too_many_requests', verdict.retryAfterSeconds);
      }
    }
    return answeringApp(ctx, () => endpoint(deps, ctx));
  };
  for (const [path, endpoint] of table) router.post(path, (ctx) => limited(ctx, endpoint));
  return router;
}
