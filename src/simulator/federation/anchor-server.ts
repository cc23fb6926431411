import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FederationFetcher } from '../../federation/bounded-fetch.js';
import { ENTITY_CONFIGURATION_PATH, MEDIA_TYPES } from '../../federation/media-types.js';
import { anchorMetricsRegistry, anchorStatementsSigned, collectAnchorProcessMetrics, recordAnchorRequest, type AnchorEndpoint } from '../../observability/anchor-metrics.js';
import { startLoopbackMetrics } from '../../observability/loopback-metrics-server.js';
import { closeNow, listen } from '../../shared/http-server.js';
import { loggerFor } from '../../shared/logger.js';
import { withRequestLogging } from '../../shared/request-logging.js';
import { fetchEndpoint, listEndpoint, trustMarkStatusEndpoint, type EndpointAnswer } from './anchor-endpoints.js';
import { AnchorError } from './anchor-error.js';
import { readAnchorKeys, readAnchorState } from './anchor-files.js';
import { anchorConfiguration, intermediateConfiguration, type AnchorView } from './anchor-statements.js';
import { pathPrefixOf } from './anchor-urls.js';
import { EndpointError, readForm, send, sendError } from './http-io.js';
import { resolveEndpoint } from './resolve-endpoint.js';

export interface AnchorServerOptions {
  /** Default: the port of the anchor's entity id. 0 picks a free port (then the URLs in statements do not match: tests only). */
  port?: number;
  /** Loopback only: the local anchor vouches for test entities and nobody else. */
  host?: string;
  /** Emit the pre-final names too, whatever the state says. */
  legacy?: boolean;
  /** How /resolve reaches the entities (default: the federation core's bounded fetcher). */
  fetcher?: FederationFetcher;
  /** Serve the anchor's Prometheus metrics at 127.0.0.1:<port>/metrics (`cie-federation serve --metrics-port`); default none. */
  metricsPort?: number;
}

export interface AnchorServer {
  url: string;
  entityId: string;
  /** The metrics endpoint, when `metricsPort` asked for one (and the port was free). */
  metricsUrl: string | undefined;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" r="30" fill="#06c"/><text x="32" y="40" font-size="20" text-anchor="middle" fill="#fff">TA</text></svg>';

/**
 * Serves the local trust anchor of the state in `dir` and its intermediates. The state is read
 * again on every request, so what `cie-federation enroll` writes is served at once.
 */
export async function startAnchorServer(dir: string, options: AnchorServerOptions = {}): Promise<AnchorServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) throw new AnchorError('ANCHOR_INVALID_ENTITY_ID', `the local trust anchor listens on loopback only, not ${host}`);
  const { entityId } = readAnchorState(dir);
  const port = options.port ?? Number(new URL(entityId).port || 80);

  const server = createServer(withRequestLogging('trust-anchor-http', (request, response) => {
    const served: Served = { endpoint: 'unknown' };
    const started = process.hrtime.bigint();
    response.on('finish', () => recordAnchorRequest(served.endpoint, response.statusCode, started));
    handle(dir, options, request, response, served).catch((error: unknown) => {
      if (response.headersSent) return void response.destroy();
      if (error instanceof EndpointError) return sendError(response, error);
      loggerFor('trust-anchor').error({ event: 'trust_anchor_error', error }, 'trust anchor: unexpected error');
      sendError(response, new EndpointError(500, 'server_error', error instanceof AnchorError ? `${error.message} [${error.code}]` : 'internal error'));
    });
  }));
  server.on('clientError', (_error, socket) => socket.destroy());
  await listen(server, port, host);
  const bound = (server.address() as AddressInfo).port;
  const metrics = options.metricsPort === undefined ? undefined : await anchorMetrics(options.metricsPort);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    entityId,
    metricsUrl: metrics?.url,
    close: async () => {
      await metrics?.close();
      await closeNow(server);
    },
  };
}

async function anchorMetrics(port: number) {
  collectAnchorProcessMetrics();
  return startLoopbackMetrics(anchorMetricsRegistry, port, 'trust-anchor');
}

/** What a request turned out to be, for the metrics (filled in once its endpoint is known). */
interface Served {
  endpoint: AnchorEndpoint;
}

/** The signed answers, by the endpoint that serves them (trust_mark_status only in its JWT form). */
const SIGNED_KINDS: Partial<Record<AnchorEndpoint, string>> = {
  entity_configuration: 'entity_configuration',
  fetch: 'subordinate_statement',
  resolve: 'resolve_response',
  trust_mark_status: 'trust_mark_status_response',
};

type Route = (view: AnchorView, params: URLSearchParams) => Promise<EndpointAnswer> | EndpointAnswer;
type Routes = Record<string, { name: AnchorEndpoint; methods: string[]; route: Route }>;

/** The routes of each entity hosted here, by path below its prefix. */
function routesOf(view: AnchorView, fetcher: FederationFetcher | undefined): Map<string, { prefix: string; routes: Routes }> {
  const { state } = view;
  const table = new Map<string, { prefix: string; routes: Routes }>();
  table.set(state.entityId, {
    prefix: pathPrefixOf(state.entityId),
    routes: {
      [ENTITY_CONFIGURATION_PATH]: { name: 'entity_configuration', methods: ['GET'], route: async (v) => ({ contentType: MEDIA_TYPES.entityStatement, body: await anchorConfiguration(v) }) },
      '/fetch': { name: 'fetch', methods: ['GET'], route: (v, params) => fetchEndpoint(v, state.entityId, params) },
      '/list': { name: 'list', methods: ['GET'], route: (v, params) => listEndpoint(v, state.entityId, params) },
      '/resolve': { name: 'resolve', methods: ['GET'], route: (v, params) => resolveEndpoint(v, params, fetcher) },
      // GET too: drafts before 25 asked the status with GET.
      '/trust_mark_status': { name: 'trust_mark_status', methods: ['POST', 'GET'], route: (v, params) => trustMarkStatusEndpoint(v, params) },
      '/logo.svg': { name: 'logo', methods: ['GET'], route: () => ({ contentType: 'image/svg+xml', body: LOGO }) },
    },
  });
  for (const intermediate of Object.values(state.intermediates)) {
    table.set(intermediate.entityId, {
      prefix: pathPrefixOf(intermediate.entityId),
      routes: {
        [ENTITY_CONFIGURATION_PATH]: { name: 'entity_configuration', methods: ['GET'], route: async (v) => ({ contentType: MEDIA_TYPES.entityStatement, body: await intermediateConfiguration(v, intermediate) }) },
        '/fetch': { name: 'fetch', methods: ['GET'], route: (v, params) => fetchEndpoint(v, intermediate.entityId, params) },
        '/list': { name: 'list', methods: ['GET'], route: (v, params) => listEndpoint(v, intermediate.entityId, params) },
      },
    });
  }
  return table;
}

async function handle(dir: string, options: AnchorServerOptions, request: IncomingMessage, response: ServerResponse, served: Served): Promise<void> {
  let url: URL;
  try {
    url = new URL(request.url ?? '/', 'http://anchor.invalid');
  } catch {
    throw new EndpointError(400, 'invalid_request', 'malformed request target');
  }
  const method = request.method === 'HEAD' ? 'GET' : (request.method ?? 'GET');
  const state = readAnchorState(dir);
  const view: AnchorView = { state, keys: readAnchorKeys(dir), now: Math.floor(Date.now() / 1000), legacy: options.legacy ?? state.legacy };
  // Longest prefix first: an intermediate's paths lie below the anchor's.
  const entities = [...routesOf(view, options.fetcher).values()].sort((a, b) => b.prefix.length - a.prefix.length);
  for (const { prefix, routes } of entities) {
    if (!url.pathname.startsWith(`${prefix}/`)) continue;
    const endpoint = routes[url.pathname.slice(prefix.length)];
    if (!endpoint) continue;
    served.endpoint = endpoint.name;
    if (!endpoint.methods.includes(method)) throw new EndpointError(405, 'invalid_request', `use ${endpoint.methods.join(' or ')}`, { allow: endpoint.methods.join(', ') });
    const params = request.method === 'POST' ? await readForm(request) : url.searchParams;
    const answer = await endpoint.route(view, params);
    const signed = SIGNED_KINDS[endpoint.name];
    if (signed && answer.contentType.endsWith('+jwt')) anchorStatementsSigned.inc({ kind: signed });
    return send(response, 200, answer.contentType, answer.body);
  }
  throw new EndpointError(404, 'not_found', `nothing at ${url.pathname.slice(0, 200)}`);
}
