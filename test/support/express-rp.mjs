// A relying party built with express-openid-connect, run as its own Node.js process by
// test/e2e/express-openid-connect.test.ts. Plain JavaScript on purpose: the library is CommonJS and
// requires openid-client 6 (ESM only), which Node.js loads but Jest's module system cannot; and a
// real RP runs in its own process anyway. Every option below is one the library documents.
//
// Input: one JSON argument { issuer, rpUrl, port, privateJwk, acr }. Output: "listening <url>".
import { randomBytes } from 'node:crypto';
import express from 'express';
import eoc from 'express-openid-connect';

const { issuer, rpUrl, port, privateJwk, acr } = JSON.parse(process.argv[2]);

const app = express();
app.use(eoc.auth({
  issuerBaseURL: issuer,
  baseURL: rpUrl,
  clientID: rpUrl,
  secret: randomBytes(32).toString('base64url'),
  authRequired: false,
  idpLogout: false,
  // private_key_jwt at the token endpoint.
  clientAuthMethod: 'private_key_jwt',
  clientAssertionSigningKey: privateJwk,
  clientAssertionSigningAlg: 'RS256',
  // Its own signed request object (JAR): the library then sends only client_id and request.
  requestObjectSigningKey: privateJwk,
  requestObjectSigningAlg: 'RS256',
  requestObjectSigningKeyId: privateJwk.kid,
  idTokenSigningAlg: 'RS256',
  // response_type code: the library always adds PKCE S256.
  authorizationParams: {
    response_type: 'code',
    response_mode: 'query',
    scope: 'openid profile email',
    prompt: 'consent login',
    acr_values: acr,
  },
  // The library's documented hook for the state value. Its default (the return URL, base64url) can
  // be shorter than the 32 random characters the CIE profile requires, so a random value is added.
  getLoginState: (_req, options) => ({ returnTo: options.returnTo, random: randomBytes(24).toString('base64url') }),
}));
// The page the library returns to after the callback (its baseURL): what the RP knows of the citizen.
app.get('/', (req, res) => {
  res.json(req.oidc.isAuthenticated() ? { idTokenClaims: req.oidc.idTokenClaims, idToken: req.oidc.idToken } : { signedIn: false });
});
app.use((error, _req, res, _next) => {
  res.status(500).json({ error: error.error ?? error.name, error_description: error.error_description ?? error.message });
});
app.listen(port, '127.0.0.1', () => console.log(`listening ${rpUrl}`));
