import type Router from '@koa/router';
import { routeTable } from '../shared/route-table.js';
import type { BridgeState } from './bridge-state.js';
import type { BridgeRoute } from './endpoints/bridge-endpoint.js';
import { cardStatus } from './endpoints/card/card-status.js';
import { changePin } from './endpoints/card/change-pin.js';
import { pinChangeForm } from './endpoints/card/pin-change-form.js';
import { pinUnblockForm } from './endpoints/card/pin-unblock-form.js';
import { unblockPin } from './endpoints/card/unblock-pin.js';
import { jobResult } from './endpoints/sign-in/job-result.js';
import { jobStatus } from './endpoints/sign-in/job-status.js';
import { openSignIn } from './endpoints/sign-in/open-sign-in.js';
import { progressPage } from './endpoints/sign-in/progress-page.js';
import { submitPin } from './endpoints/sign-in/submit-pin.js';

/**
 * Every page of the bridge, one module each (src/bridge/endpoints/). The sign-in pages take a provider's
 * challenge to an assertion; the card pages are the citizen's "Software CIE" (counters, PIN change, unblock).
 */
export const BRIDGE_ROUTES: readonly BridgeRoute[] = [
  { method: 'get', path: '/login', endpoint: openSignIn },
  { method: 'post', path: '/login', endpoint: submitPin },
  { method: 'get', path: '/login/progress', endpoint: progressPage },
  { method: 'get', path: '/login/status', endpoint: jobStatus },
  { method: 'get', path: '/login/result', endpoint: jobResult },
  { method: 'get', path: '/', endpoint: cardStatus },
  { method: 'get', path: '/pin/change', endpoint: pinChangeForm },
  { method: 'post', path: '/pin/change', endpoint: changePin },
  { method: 'get', path: '/pin/unblock', endpoint: pinUnblockForm },
  { method: 'post', path: '/pin/unblock', endpoint: unblockPin },
];

export function bridgeRouter(state: BridgeState, routes: readonly BridgeRoute[] = BRIDGE_ROUTES): Router {
  return routeTable(routes, state);
}
