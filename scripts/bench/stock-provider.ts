// Child process of the refresh benchmark: oidc-provider as it ships, to tell the library's own cost
// per refresh from ours. In-memory storage (its default), none of this project's code or rules, one
// private_key_jwt client; refresh tokens rotated as ours are. The token JWTs are signed TOKEN_ALG,
// so a refresh here makes one of this alg's signatures (the ID token; its access and refresh tokens
// are opaque) and one RS256 verification (the client assertion).
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

const port = Number(process.env.PORT);
const alg = process.env.TOKEN_ALG === 'ES256' ? 'ES256' : 'RS256';
const clientJwk = JSON.parse(process.env.CLIENT_JWK ?? '{}') as JWK;
const issuer = `http://127.0.0.1:${port}`;
const STOCK_CLIENT_ID = process.env.CLIENT_ID ?? 'bench-stock-client';

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
    redirect_uris: ['https://rp.example/callback'],
  }],
  jwks: { keys: [{ ...signingKey, alg, use: 'sig', kid: 'stock' }] },
  cookies: { keys: ['bench-only-cookie-key'] },
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  rotateRefreshToken: true,
};
const provider = new Provider(issuer, configuration);

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
