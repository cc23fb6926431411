import type { Context } from 'koa';
import type { RouteRow } from '../../shared/route-table.js';
import type { BridgeState } from '../bridge-state.js';

/** One page or answer of the bridge: what it needs is the request and the bridge's shared state. */
export type BridgeEndpoint = (ctx: Context, state: BridgeState) => Promise<void> | void;

/** A line of the bridge's route table (bridge-routes.ts). */
export type BridgeRoute = RouteRow<BridgeState>;
