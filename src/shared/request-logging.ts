import type { IncomingMessage, ServerResponse } from 'node:http';
import type Koa from 'koa';
import type { Middleware } from 'koa';
import { loggerFor } from './logger.js';
import { acceptedRequestId, runInRequest } from './request-context.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Errors already logged by `requestLogging`, so koa's 'error' event does not log them twice. */
const loggedErrors = new WeakSet<object>();

/**
 * koa's own 'error' handler prints a 5xx error's stack with console.error: unredacted and not JSON.
 * This listener replaces it: an error the request line already logged is skipped, one a handler
 * emits itself (the registry's exchange recorder) is logged here, redacted, with the request id.
 */
export function logAppErrors(app: Pick<Koa, 'on'>, component: string): void {
  const log = loggerFor(component);
  app.on('error', (error: unknown) => {
    if (error !== null && typeof error === 'object' && loggedErrors.has(error)) return;
    const status = (error as { status?: unknown } | undefined)?.status;
    if (typeof status === 'number' && status < 500) return;
    log.error({ event: 'request_failed', error }, 'error answered by a handler');
  });
}

/**
 * The request's id (the caller's safe `x-request-id` or a new one) for every log line written while
 * it is served, echoed in the response; one `request` line when it ends. Only the path is logged:
 * query strings carry codes, tokens and request objects.
 */
export function requestLogging(component: string, onEnd: (status: number, seconds: number) => void = () => undefined, probePaths: readonly string[] = []): Middleware {
  const log = loggerFor(component);
  return async (ctx, next) => {
    const requestId = acceptedRequestId(ctx.get(REQUEST_ID_HEADER) || undefined);
    ctx.set(REQUEST_ID_HEADER, requestId);
    const started = process.hrtime.bigint();
    await runInRequest(requestId, async () => {
      // An error thrown past every handler becomes koa's own answer after this middleware: its status.
      let thrown: number | undefined;
      try {
        await next();
      } catch (error) {
        const status = (error as { status?: unknown } | undefined)?.status;
        thrown = typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
        if (thrown >= 500) {
          log.error({ event: 'request_failed', error }, 'unhandled error');
          if (error !== null && typeof error === 'object') loggedErrors.add(error);
        }
        throw error;
      } finally {
        const ms = elapsedMs(started);
        const status = thrown ?? ctx.status;
        onEnd(status, ms / 1000);
        // Health probes every few seconds would drown the log: a probe that succeeds is a debug line.
        const write = status < 400 && probePaths.includes(ctx.path) ? log.debug : log.info;
        write({ event: 'request', method: ctx.method, path: ctx.path, status, ms });
      }
    }, ctx);
  };
}

/** The same for a plain node:http handler (the trust anchor). */
export function withRequestLogging(component: string, handler: (request: IncomingMessage, response: ServerResponse) => void): (request: IncomingMessage, response: ServerResponse) => void {
  const log = loggerFor(component);
  return (request, response) => {
    const requestId = acceptedRequestId(request.headers[REQUEST_ID_HEADER]);
    response.setHeader(REQUEST_ID_HEADER, requestId);
    const started = process.hrtime.bigint();
    response.on('finish', () => runInRequest(requestId, () => log.info({ event: 'request', method: request.method, path: (request.url ?? '').split('?')[0], status: response.statusCode, ms: elapsedMs(started) })));
    runInRequest(requestId, () => handler(request, response));
  };
}

function elapsedMs(started: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
}
