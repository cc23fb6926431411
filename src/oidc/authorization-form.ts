import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { readFormText, RequestBodyError } from '../shared/form-body.js';

/**
 * The text of a form POSTed to the authorization endpoint, at most `limitBytes`; or undefined once a
 * body that cannot be read has been answered with the provider's own error page (413 or 400), as
 * any bad authorization request is: never a redirect, since nothing of the request is trusted yet.
 */
export async function readAuthorizationForm(
  ctx: KoaContextWithOIDC,
  limitBytes: number,
  renderError: NonNullable<Configuration['renderError']>,
): Promise<string | undefined> {
  try {
    return await readFormText(ctx, limitBytes);
  } catch (error) {
    if (!(error instanceof RequestBodyError)) throw error;
    ctx.status = error.code === 'body_too_large' ? 413 : 400;
    await renderError(ctx, { error: 'invalid_request', error_description: error.message }, error);
    return undefined;
  }
}
