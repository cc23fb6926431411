import type { Context } from 'koa';
import type { AccountDeps } from '../account-deps.js';

/** One endpoint of the account page: a row of the table in account-routes.ts. */
export type AccountHandler = (ctx: Context, deps: AccountDeps) => Promise<void>;
