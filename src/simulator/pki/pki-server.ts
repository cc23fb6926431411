import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PkiError } from './pki-error.js';
import { assertOcspResponseOptions } from './ocsp-response-options.js';
import type { OcspResponseOptions } from './ocsp-response-options.js';
import type { TestPki } from './test-pki.js';

export interface PkiServerOptions extends OcspResponseOptions {
  /** Default 8980; 0 picks a free port. */
  port?: number;
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
}

export interface PkiServer {
  url: string;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
const MAX_BODY_BYTES = 64 * 1024;

class BodyTooLarge extends Error {}

/**
 * Serves OCSP (RFC 6960 POST and GET), fresh CRLs and the CA certificates of `pki` over plain
 * HTTP, as the URLs in the certificates' AIA and CRL DP extensions expect.
 */
export async function startPkiServer(pki: TestPki, options: PkiServerOptions = {}): Promise<PkiServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) throw new PkiError('PKI_INVALID_OPTION', `the PKI server listens on loopback only, not ${host}`);
  assertOcspResponseOptions(options);
  const ocspOptions: OcspResponseOptions = {
    responder: options.responder,
    ocspNextUpdateSeconds: options.ocspNextUpdateSeconds,
    ocspStaleSeconds: options.ocspStaleSeconds,
  };

  const server = createServer((request, response) => {
    handle(pki, ocspOptions, request, response).catch(() => {
      if (!response.headersSent) send(response, 500, 'text/plain', 'internal error\n');
      else response.destroy();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8980, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(pki: TestPki, ocspOptions: OcspResponseOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://pki.invalid').pathname;
  const method = request.method ?? 'GET';

  if (path === '/ocsp') {
    if (method !== 'POST') return send(response, 405, 'text/plain', 'use POST or GET /ocsp/<base64 request>\n', { allow: 'POST' });
    let body: Uint8Array;
    try {
      body = await readBody(request);
    } catch (error) {
      if (error instanceof BodyTooLarge) return send(response, 413, 'text/plain', 'OCSP request too large\n', { connection: 'close' });
      throw error;
    }
    return sendOcsp(response, await pki.ocspResponse(body, ocspOptions));
  }
  if (path.startsWith('/ocsp/')) {
    if (method !== 'GET') return send(response, 405, 'text/plain', 'method not allowed\n', { allow: 'GET' });
    return sendOcsp(response, await pki.ocspResponse(ocspRequestFromGetPath(path.slice('/ocsp/'.length)), ocspOptions));
  }

  const artefact = ARTEFACTS[path];
  if (!artefact) return send(response, 404, 'text/plain', 'not found\n');
  if (method !== 'GET' && method !== 'HEAD') return send(response, 405, 'text/plain', 'method not allowed\n', { allow: 'GET, HEAD' });
  return send(response, 200, artefact.contentType, await artefact.body(pki));
}

const ARTEFACTS: Readonly<Record<string, { contentType: string; body: (pki: TestPki) => Promise<Uint8Array> }>> = {
  '/crl/root.crl': { contentType: 'application/pkix-crl', body: (pki) => pki.currentCrl('root') },
  '/crl/issuing.crl': { contentType: 'application/pkix-crl', body: (pki) => pki.currentCrl('issuing') },
  '/ca/root.cer': { contentType: 'application/pkix-cert', body: async (pki) => new Uint8Array(pki.rootCertificate.rawData) },
  '/ca/issuing.cer': { contentType: 'application/pkix-cert', body: async (pki) => new Uint8Array(pki.issuingCaCertificate.rawData) },
};

/**
 * RFC 6960 A.1: GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}. Broken
 * %-escapes yield no bytes, which earns malformedRequest like any other undecodable request.
 * (Node itself refuses URLs beyond its 16 KiB header limit.)
 */
function ocspRequestFromGetPath(segment: string): Uint8Array {
  try {
    return new Uint8Array(Buffer.from(decodeURIComponent(segment), 'base64'));
  } catch {
    return new Uint8Array(0);
  }
}

/** Event-based rather than `for await`: leaving an async iterator early destroys the socket before the 413 goes out. */
function readBody(request: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      request.off('data', collect);
      request.resume();
      reject(new BodyTooLarge());
    };
    request.on('data', collect);
    request.once('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    request.once('error', reject);
  });
}

function sendOcsp(response: ServerResponse, der: Uint8Array): void {
  // Every answer is signed fresh with a new thisUpdate; caches must not keep it.
  send(response, 200, 'application/ocsp-response', der, { 'cache-control': 'no-store' });
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}
