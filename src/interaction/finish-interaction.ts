import type { Context } from 'koa';
import type { Interaction, InteractionResults } from 'oidc-provider';

/**
 * oidc-provider's `interactionFinished`, without loading the interaction a second time. The route
 * already holds it (checked against its cookie and session by `interactionDetails`); the library
 * would check the cookie's signature and read the Interaction and its Session again — two storage
 * round trips per login step. The result, the save and the 303 are the library's
 * (lib/provider.js `interactionResult` and `interactionFinished`).
 */
export async function finishInteraction(ctx: Context, interaction: Interaction, result: InteractionResults, options: { mergeWithLastSubmission: boolean }): Promise<void> {
  interaction.result = options.mergeWithLastSubmission && !('error' in result) ? { ...interaction.lastSubmission, ...result } : result;
  await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
  ctx.res.statusCode = 303;
  ctx.res.setHeader('Location', interaction.returnTo);
  ctx.res.setHeader('Content-Length', '0');
  ctx.res.end();
  ctx.respond = false;
}
