import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import { InteractionError } from './interaction-error.js';

/** Loads the interaction from its cookie and insists it is the one named in the URL. */
export async function interactionFor(provider: Provider, ctx: Context): Promise<Interaction> {
  let details;
  try {
    details = await provider.interactionDetails(ctx.req, ctx.res);
  } catch (error) {
    throw new InteractionError('session_expired', 'interaction cookie missing or expired', {}, { cause: error });
  }
  if (details.uid !== (ctx.params as Record<string, string>).uid) throw new InteractionError('session_expired', 'interaction does not match the cookie');
  return details;
}

/** The RP's name as registered, else its client_id. */
export async function clientName(provider: Provider, clientId: unknown): Promise<string> {
  const client = await provider.Client.find(String(clientId));
  return String(client?.clientName ?? clientId);
}
