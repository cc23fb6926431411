import type Router from '@koa/router';
import type { SignInMethod } from '../sign-in-method.js';
import type { AppApprovalDeps } from './app-approval-deps.js';
import { appQrMethod } from './app-qr-method.js';
import { appRoutes } from './app-routes.js';

export interface AppApprovalSignIn {
  /** "Entra con l'app CieID" (level 2, the QR). */
  qrMethod: SignInMethod;
  /** The app's API (enrolment, pending, open, decide) and `GET /app/l2`. */
  appRoutes: Router;
}

/** The CieID app as a level-2 factor, composed (the push side is a stage of the password ceremony: sign-in/password/). */
export function createAppApprovalSignIn(deps: AppApprovalDeps): AppApprovalSignIn {
  return { qrMethod: appQrMethod(deps, deps.approvals), appRoutes: appRoutes(deps) };
}
