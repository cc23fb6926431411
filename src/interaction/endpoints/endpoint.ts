import type { Context } from 'koa';
import type { InteractionDeps } from '../interaction-deps.js';

/** One endpoint of the interaction: its deps, the request (koa's context with the route's params). */
export type InteractionEndpoint = (deps: InteractionDeps, ctx: Context) => Promise<void>;
