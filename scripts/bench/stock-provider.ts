// Child process of the login and refresh benchmarks: oidc-provider as it ships, to tell the library's
// own cost from ours. In-memory storage (its default), none of this project's code or rules, one
// private_key_jwt client; refresh tokens rotated as ours are. The ID token is signed TOKEN_ALG and the
// access and refresh tokens are opaque, so a refresh or a code grant here makes one signature and one
// RS256 verification (the client assertion). Logins use the smallest interaction handlers the library's
// API allows (a login step naming the account, a consent step granting what was asked), written here.
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

const port = Number(process.env.PORT);
const alg = process.env.TOKEN_ALG === 'ES256' ? 'ES256' : 'RS256';
const clientJwk = JSON.parse(process.env.CLIENT_JWK ?? '{}') as JWK;
const issuer = `http://127.0.0.1:${port}`;
const STOCK_CLIENT_ID = process.env.CLIENT_ID ?? 'bench-stock-client';
const STOCK_REDIRECT_URI = process.env.REDIRECT_URI ?? 'https://rp.example/callback';

const signingKey = await exportJWK((await generateKeyPair(alg, { extractable: true })).privateKey);
const configuration: Configuration = {
  clients: [{
    client_id: STOCK_CLIENT_ID,
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    id_token_signed_response_alg: alg,
    jwks: { keys: [clientJwk] },
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [STOCK_REDIRECT_URI],
  }],
  jwks: { keys: [{ ...signingKey, alg, use: 'sig', kid: 'stock' }] },
  cookies: { keys: ['bench-only-cookie-key'] },
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  rotateRefreshToken: true,
};
const provider = new Provider(issuer, configuration);

// The interaction steps, as small as oidc-provider's interaction API allows: a page per prompt, a
// login that names the account, a consent that grants the scopes asked for.
const INTERACTION_STEP = /^\/interaction\/([^/]+)(\/login|\/confirm)?$/;
provider.use(async (ctx, next) => {
  const step = INTERACTION_STEP.exec(ctx.path);
  if (!step) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET' && !step[2]) {
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>${details.prompt.name}</title><form method="post" action="/interaction/${details.uid}/${details.prompt.name === 'login' ? 'login' : 'confirm'}"><button>OK</button></form>`;
    return;
  }
  if (ctx.method === 'POST' && step[2] === '/login') {
    await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: `citizen-${details.uid}` } }, { mergeWithLastSubmission: false });
    ctx.respond = false; // interactionFinished wrote the 303 itself
    return;
  }
  if (ctx.method === 'POST' && step[2] === '/confirm') {
    const grant = new provider.Grant({ accountId: String(details.session?.accountId), clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    await provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    ctx.respond = false;
    return;
  }
  return next();
});

/** Grants with offline access and a refresh token each, made through the library's models (no login). */
async function seed(count: number): Promise<string[]> {
  const client = await provider.Client.find(STOCK_CLIENT_ID);
  if (!client) throw new Error('stock provider: no client');
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const accountId = `citizen-${i}`;
    const grant = new provider.Grant({ accountId, clientId: STOCK_CLIENT_ID });
    grant.addOIDCScope('openid offline_access');
    const grantId = await grant.save();
    const refreshToken = new provider.RefreshToken({ accountId, client, grantId, scope: 'openid offline_access', gty: 'authorization_code', authTime: Math.floor(Date.now() / 1000) });
    tokens.push(await refreshToken.save());
  }
  return tokens;
}

const callback = provider.callback();
const server = createServer((req, res) => {
  const seedCount = /^\/seed\?count=(\d+)$/.exec(req.url ?? '');
  if (!seedCount) return callback(req, res);
  seed(Number(seedCount[1])).then(
    (tokens) => res.end(JSON.stringify(tokens)),
    (error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    },
  );
});
server.listen(port, '127.0.0.1', () => console.log(`stock oidc-provider listening at ${issuer}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
