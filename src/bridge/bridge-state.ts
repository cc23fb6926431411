import type { Context } from 'koa';
import type { CardSigner, PinManager } from './card-signer.js';
import type { CardJobs } from './card-jobs.js';
import type { FormTokens } from './form-token.js';
import type { PendingRequests } from './pending-requests.js';

export interface SignedByCard {
  signature: Uint8Array;
  certificate: Uint8Array;
}

export interface BridgeDeps {
  allowedOrigins: string[];
  signer: CardSigner;
  /** The card pages (status, PIN change, unblock). */
  pins: PinManager;
  version: string;
  /** The port the bridge listens on (known after listen). */
  port: () => number;
}

/** What the bridge's routes share: settings, open sign-ins, running card jobs, form tokens. */
export interface BridgeState {
  deps: BridgeDeps;
  pending: PendingRequests;
  jobs: CardJobs<SignedByCard>;
  tokens: FormTokens;
}

export function queryText(ctx: Context, name: string): string {
  const value = ctx.query[name];
  return typeof value === 'string' ? value : '';
}
