import type { Context } from 'koa';

/** The error codes of OpenID Federation 1.0 § "Error Responses" the provider's federation endpoints use, with their status. */
export const FEDERATION_ENDPOINT_ERRORS = {
  invalid_request: 400,
  invalid_trust_anchor: 404,
  not_found: 404,
  server_error: 500,
} as const;

export type FederationEndpointError = keyof typeof FEDERATION_ENDPOINT_ERRORS;

/** The spec's error answer: a JSON object with `error` and `error_description`. */
export function federationErrorResponse(ctx: Context, error: FederationEndpointError, description: string): void {
  ctx.status = FEDERATION_ENDPOINT_ERRORS[error];
  ctx.type = 'application/json';
  ctx.body = { error, error_description: description };
}
