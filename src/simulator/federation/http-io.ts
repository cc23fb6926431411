import type { IncomingMessage, ServerResponse } from 'node:http';

/** A federation error answer (OpenID Federation 1.0 § "Error Responses"): JSON `error` + `error_description`. */
export class EndpointError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

export const MAX_FORM_BYTES = 64 * 1024;
/** Entity ids, types and trust marks longer than this are refused before any work. */
export const MAX_PARAMETER_LENGTH = 8 * 1024;

export function send(response: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...headers });
  response.end(body);
}

export function sendError(response: ServerResponse, error: EndpointError): void {
  send(response, error.status, 'application/json', JSON.stringify({ error: error.error, error_description: error.message }), error.headers);
}

/** Reads a form body (application/x-www-form-urlencoded) of at most MAX_FORM_BYTES. */
export function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      request.resume();
      return reject(new EndpointError(400, 'invalid_request', 'send the parameters as application/x-www-form-urlencoded'));
    }
    const tooLarge = () => new EndpointError(413, 'invalid_request', `request body larger than ${MAX_FORM_BYTES} bytes`, { connection: 'close' });
    if (Number(request.headers['content-length'] ?? 0) > MAX_FORM_BYTES) {
      request.resume();
      return reject(tooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= MAX_FORM_BYTES) return void chunks.push(chunk);
      request.off('data', collect);
      request.resume();
      reject(tooLarge());
    };
    request.on('data', collect);
    request.once('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    request.once('error', reject);
  });
}

/** One optional parameter, at most once and of bounded length. */
export function parameter(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new EndpointError(400, 'invalid_request', `parameter ${name} given more than once`);
  const value = values[0];
  if (value !== undefined && value.length > MAX_PARAMETER_LENGTH) throw new EndpointError(400, 'invalid_request', `parameter ${name} is too long`);
  return value === '' ? undefined : value;
}

export function requiredParameter(params: URLSearchParams, name: string): string {
  const value = parameter(params, name);
  if (value === undefined) throw new EndpointError(400, 'invalid_request', `parameter ${name} is required`);
  return value;
}
