// A real OAuth 2.1 / OpenID Connect authorization server for tests, built on the npm package
// `oidc-provider` (the OpenID-certified server by panva). The host under test treats it as an
// external identity provider ("native DCR mode"): MCP clients register here dynamically, sign in
// here with PKCE, and present the JWT access tokens it issues to the host.
//
// What it does, in short:
//   - issuer http://127.0.0.1:<port> (port 0 = any free one), everything bound to 127.0.0.1 only;
//   - open dynamic client registration (RFC 7591), as MCP clients expect;
//   - PKCE (S256) required for every client;
//   - resource indicators (RFC 8707): any http://127.0.0.1 / http://localhost resource is a
//     resource server; its access tokens are RS256 JWTs (RFC 9068, typ at+jwt) with aud = the
//     resource, iss, sub, client_id, scope, and the user's email and name;
//   - OpenID scopes openid email profile offline_access, API scopes notes:read notes:write (or
//     what the caller names); refresh tokens for every client that registered the
//     refresh_token grant (rotated on use);
//   - one user, user-123 (Ada Lovelace, ada@example.com), who is "signed in" and "clicks allow"
//     automatically: the interaction URL is our own route that finishes login and consent with
//     whatever the client asked for. A headless test drives it with a cookie-keeping fetch.
//
// Upstream mode (`startAuthorizationServer({ upstream: true })`, see ./upstream-idp.mjs): the same
// server as the identity provider *behind* mcp-host in proxy mode, the way Auth0, Google or Okta
// stand there: registration disabled, no resource indicators (opaque access tokens for its own
// userinfo), and only clients the operator created (addClient(), a confidential client with a
// secret). Its ID tokens carry the user's email and name, as those providers' do.
//
// Every instance records what it answered (exchanges()): each authorization request it got and
// each redirect and token response it sent, so a test can assert what an upstream saw and that
// nothing it issued reaches an MCP client.
//
// Module use:
//   import { startAuthorizationServer } from './authorization-server.mjs';
//   const as = await startAuthorizationServer();   // { issuer, port, stop(), ... }
// CLI use (manual runs):
//   node tests/node/oauth/authorization-server.mjs [--port N]
//   prints "authorization server listening on http://127.0.0.1:<port>" and runs until SIGINT/SIGTERM.
//
// Needs Node.js >= 20.18 (oidc-provider 9 uses URL.parse and crypto.hash); see README.md here.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

import { exportJWK, generateKeyPair, importJWK, jwtVerify } from 'jose';
import { errors, Provider } from 'oidc-provider';
// The package's own in-memory storage, created explicitly (one store per instance) so that it
// does not print its "development-only adapter" warning; oidc-provider is pinned in package.json.
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';

export const TEST_USER = Object.freeze({
  sub: 'user-123',
  email: 'ada@example.com',
  email_verified: true,
  name: 'Ada Lovelace',
  given_name: 'Ada',
  family_name: 'Lovelace',
});

/** The test user's picture, as the resource-token userinfo endpoint gives it. */
export const TEST_USER_PICTURE = 'https://pictures.example.com/ada.png';

/** OpenID Connect scopes the server knows. */
export const OIDC_SCOPES = Object.freeze(['openid', 'email', 'profile', 'offline_access']);
/** API scopes by default (startAuthorizationServer({apiScopes}) replaces them). */
export const DEFAULT_API_SCOPES = Object.freeze(['notes:read', 'notes:write']);
/**
 * Of the OpenID scopes, those an access token for a resource server carries in `scope` too,
 * next to the API scopes (as real IdPs such as Keycloak do).
 */
const OIDC_SCOPES_IN_ACCESS_TOKENS = Object.freeze(['openid', 'email', 'profile']);

const INTERACTION_PATH = '/interaction/';
const DEFAULT_ACCESS_TOKEN_TTL = 3600;

/** Resource indicators we serve tokens for: absolute http URLs on the loopback interface. */
function isLoopbackResource(resource) {
  const url = URL.parse(resource);
  if (!url || url.protocol !== 'http:' || url.hash || url.username || url.password) return false;
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

/**
 * Starts the authorization server.
 * @param {object} [opts]
 * @param {number} [opts.port=0]        port on 127.0.0.1 (0: any free port)
 * @param {boolean} [opts.quiet=true]   do not log each request outcome
 * @param {string[]} [opts.apiScopes]   API scopes besides the OpenID ones (default notes:read notes:write)
 * @param {boolean} [opts.upstream=false] upstream mode: no registration, no resource indicators, the
 *                                        user's claims in the ID token, clients only through addClient()
 * @param {boolean} [opts.identityInAccessToken=true] false: access tokens carry `sub` but no email or
 *                                        name (WorkOS AuthKit's default), so a resource server must ask
 *                                        userinfo
 * @param {boolean} [opts.userinfoForResourceTokens=false] the userinfo endpoint (/me) also answers a
 *                                        JWT access token issued for a resource server, as Keycloak's
 *                                        and WorkOS's do (oidc-provider's own refuses any token with an
 *                                        `aud`); it answers with the user's email, name and picture and
 *                                        counts its requests (userinfoRequests(), setUserinfoStatus())
 * @returns {Promise<{
 *   issuer: string, port: number,
 *   scopes: string[],
 *   signingKey: {kid: string, alg: string, privateKey: CryptoKey, publicJwk: object},
 *   setAccessTokenTtl: (clientId: string, seconds: number|undefined) => void,
 *   interactions: () => number,
 *   exchanges: () => Array<{method: string, url: string, status: number, location?: string, json?: object}>,
 *   addClient: (metadata: object) => Promise<object>,
 *   provider: Provider,
 *   stop: () => Promise<void>
 * }>}
 */
export async function startAuthorizationServer(opts = {}) {
  const {
    port: wantedPort = 0,
    quiet = true,
    apiScopes = DEFAULT_API_SCOPES,
    upstream = false,
    identityInAccessToken = true,
    userinfoForResourceTokens = false,
  } = opts;
  const resourceScopes = [...OIDC_SCOPES_IN_ACCESS_TOKENS, ...apiScopes].join(' ');

  // The server must listen before the Provider exists: the issuer contains the port.
  let handler = (_req, res) => {
    res.writeHead(503).end('starting');
  };
  const server = createServer((req, res) => handler(req, res));
  server.keepAliveTimeout = 1000;
  const port = await listen(server, wantedPort, '127.0.0.1');
  const issuer = `http://127.0.0.1:${port}`;

  // One RS256 signing key, generated per instance; the test gets the private half so that it can
  // forge tokens that only differ from real ones in what it chooses (expired, wrong audience...).
  const kid = `test-rs256-${randomBytes(6).toString('hex')}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const { d, p, q, dp, dq, qi, ...publicJwk } = privateJwk;

  /** Per-client access token lifetimes (seconds), for expiry tests. */
  const accessTokenTtl = new Map();
  let interactionCount = 0;
  /** What the server answered, oldest first (see recordExchange()). */
  const exchangeLog = [];

  const provider = new Provider(issuer, {
    adapter: createMemoryAdapter(15),
    jwks: { keys: [privateJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: [...OIDC_SCOPES, ...apiScopes],
    // A registration's `scope` is taken as advisory (RFC 7591 lets the server replace metadata):
    // the client is not limited to it, so it can step up later to a scope it did not name then
    // (the SDK registers with the scopes of the first challenge).
    extraClientMetadata: {
      properties: ['scope'],
      validator: (_ctx, key, _value, metadata) => {
        if (key === 'scope') delete metadata.scope;
      },
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
    },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: 'RS256',
    },
    pkce: { required: () => true },
    // Upstream mode: the scope-requested claims (email, name) go into the ID token too, not only
    // to userinfo, as Auth0, Google, Okta and Entra do; the host reads the identity from it.
    conformIdTokenClaims: !upstream,
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false }, // the host does not verify DPoP proofs: plain Bearer tokens only
      // Native DCR mode: open registration, no initial access token. Upstream mode: none at all
      // (no registration_endpoint in the metadata, POST /reg is not routed).
      registration: { enabled: !upstream },
      revocation: { enabled: true },
      introspection: { enabled: true },
      userinfo: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        // Upstream mode: off, like most identity providers; a `resource` parameter is ignored.
        enabled: !upstream,
        // No `resource` in a request: no resource server (an opaque userinfo token). MCP clients
        // always send one once they have read the protected resource metadata.
        defaultResource: async (_ctx, _client, oneOf) => oneOf,
        // The refresh_token grant without `resource` reuses the granted one.
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resourceIndicator) => {
          if (!isLoopbackResource(resourceIndicator)) {
            throw new errors.InvalidTarget(`resource ${resourceIndicator} is not served by this test server`);
          }
          return {
            scope: resourceScopes,
            audience: resourceIndicator,
            accessTokenFormat: 'jwt',
            accessTokenTTL: DEFAULT_ACCESS_TOKEN_TTL,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // Identity claims in the access token too, so a resource server needs no userinfo call.
    extraTokenClaims: async (_ctx, token) => {
      if (!identityInAccessToken || token.accountId !== TEST_USER.sub) return undefined;
      return { email: TEST_USER.email, email_verified: TEST_USER.email_verified, name: TEST_USER.name };
    },
    findAccount: async (_ctx, sub) => {
      if (sub !== TEST_USER.sub) return undefined;
      return { accountId: sub, claims: async () => ({ ...TEST_USER }) };
    },
    // Refresh tokens whenever the client registered the grant, offline_access or not: MCP
    // clients differ in whether they ask for offline_access, and all expect a refresh token.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    ttl: {
      AccessToken: (_ctx, token, client) =>
        accessTokenTtl.get(client?.clientId) ?? token.resourceServer?.accessTokenTTL ?? DEFAULT_ACCESS_TOKEN_TTL,
      ClientCredentials: (_ctx, token, client) =>
        accessTokenTtl.get(client?.clientId) ?? token.resourceServer?.accessTokenTTL ?? DEFAULT_ACCESS_TOKEN_TTL,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 24 * 3600,
      Interaction: 600,
      Session: 24 * 3600,
      Grant: 24 * 3600,
      DeviceCode: 600,
      BackchannelAuthenticationRequest: 600,
      PreAuthorizedCode: 600,
    },
    interactions: { url: async (_ctx, interaction) => `${INTERACTION_PATH}${interaction.uid}` },
    // Only origins of the client's own redirect URIs, as the default does (without its warning).
    clientBasedCORS: (_ctx, origin, client) =>
      origin !== 'null' && client.redirectUris.some((uri) => URL.parse(uri)?.origin === origin),
    renderError: async (ctx, out) => {
      ctx.type = 'application/json';
      ctx.body = JSON.stringify(out);
    },
  });
  // http://127.0.0.1 in tests; no reverse proxy in front.
  provider.proxy = false;

  if (!quiet) {
    for (const event of ['grant.success', 'grant.error', 'registration_create.success', 'authorization.error', 'server_error']) {
      provider.on(event, (...args) => {
        const err = args.find((a) => a instanceof Error);
        process.stderr.write(`[authorization server] ${event}${err ? `: ${err.message}` : ''}\n`);
      });
    }
  }

  /**
   * The "login and consent page": the user user-123 is signed in and approves whatever the
   * client asked for (OpenID scopes, claims, and API scopes for each requested resource).
   * Each visit finishes one prompt and redirects back to the authorization endpoint.
   */
  async function autoApprove(req, res) {
    interactionCount++;
    const details = await provider.interactionDetails(req, res);
    const { prompt, params, session, grantId } = details;
    let result;
    if (prompt.name === 'login') {
      result = { login: { accountId: TEST_USER.sub } };
    } else if (prompt.name === 'consent') {
      const grant = grantId
        ? await provider.Grant.find(grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details;
      if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
      if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
      result = { consent: { grantId: await grant.save() } };
    } else {
      res.writeHead(501, { 'content-type': 'text/plain' }).end(`unexpected prompt ${prompt.name}`);
      return;
    }
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
  }

  /**
   * A test's rewrite of successful token endpoint answers (see setTokenResponseFilter()), to play
   * a misbehaving or compromised upstream: (json) => json | Promise<json>.
   */
  let tokenResponseFilter;

  /**
   * Records one answer: the request line, the status, a redirect's Location, and the JSON body of
   * token endpoint answers (where the access, refresh and ID tokens are). Wraps res.write/res.end
   * without changing what is sent, unless a token response filter is set: then a successful
   * token answer is held back, rewritten by the filter, and sent with its new length.
   */
  function recordExchange(req, res) {
    const entry = { method: req.method, url: req.url };
    const isToken = req.url === '/token' || req.url.startsWith('/token?');
    const chunks = [];
    const filter = isToken ? tokenResponseFilter : undefined;
    if (isToken) {
      const write = res.write.bind(res);
      res.write = (chunk, ...rest) => {
        if (chunk) chunks.push(Buffer.from(chunk));
        return filter ? true : write(chunk, ...rest);
      };
    }
    const end = res.end.bind(res);
    const finish = (chunk, rest) => {
      entry.status = res.statusCode;
      const location = res.getHeader('location');
      if (location) entry.location = String(location);
      exchangeLog.push(entry);
      return end(chunk, ...rest);
    };
    res.end = (chunk, ...rest) => {
      if (isToken && chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk));
      const text = Buffer.concat(chunks).toString('utf8');
      if (chunks.length) {
        try {
          entry.json = JSON.parse(text);
        } catch {
          entry.text = text;
        }
      }
      if (!filter) return finish(chunk, rest);
      if (res.statusCode !== 200 || !entry.json) return finish(text, []);
      Promise.resolve(filter(structuredClone(entry.json)))
        .then((rewritten) => {
          entry.json = rewritten;
          const body = JSON.stringify(rewritten);
          res.setHeader('content-length', Buffer.byteLength(body));
          finish(body, []);
        })
        .catch((err) => {
          res.statusCode = 500;
          const body = JSON.stringify({ error: 'server_error', error_description: `token response filter: ${err.message}` });
          res.setHeader('content-length', Buffer.byteLength(body));
          finish(body, []);
        });
      return res;
    };
  }

  /**
   * userinfoForResourceTokens: GET /me with a JWT access token this server signed (any audience),
   * answered for the test user with its identity. Counted; a status set with setUserinfoStatus()
   * is answered instead (a failing userinfo endpoint).
   */
  let userinfoRequests = 0;
  let userinfoStatus;
  async function resourceTokenUserinfo(req, res) {
    userinfoRequests++;
    const send = (status, body) =>
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
    if (userinfoStatus) return send(userinfoStatus, { error: 'server_error' });
    const match = /^Bearer ([^ ]+)$/.exec(req.headers.authorization ?? '');
    if (!match) return send(401, { error: 'invalid_token' });
    try {
      const { payload } = await jwtVerify(match[1], await importJWK(publicJwk, 'RS256'), { issuer });
      if (payload.sub !== TEST_USER.sub) return send(401, { error: 'invalid_token' });
      return send(200, {
        sub: TEST_USER.sub,
        email: TEST_USER.email,
        email_verified: TEST_USER.email_verified,
        name: TEST_USER.name,
        picture: TEST_USER_PICTURE,
      });
    } catch {
      return send(401, { error: 'invalid_token' });
    }
  }

  const providerCallback = provider.callback();
  handler = (req, res) => {
    recordExchange(req, res);
    if (userinfoForResourceTokens && req.method === 'GET' && req.url.split('?')[0] === '/me') {
      resourceTokenUserinfo(req, res).catch(() => res.writeHead(500).end());
      return;
    }
    if (req.method === 'GET' && req.url.startsWith(INTERACTION_PATH)) {
      autoApprove(req, res).catch((err) => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`interaction failed: ${err.message}`);
      });
      return;
    }
    providerCallback(req, res);
  };

  let stopping = null;
  const stop = () => {
    stopping ??= new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return stopping;
  };

  return {
    issuer,
    port,
    provider,
    scopes: [...OIDC_SCOPES, ...apiScopes],
    signingKey: { kid, alg: 'RS256', privateKey, publicJwk },
    /** Access token lifetime for one client (undefined: back to the default). */
    setAccessTokenTtl(clientId, seconds) {
      if (seconds === undefined) accessTokenTtl.delete(clientId);
      else accessTokenTtl.set(clientId, seconds);
    },
    /** How many requests the resource-token userinfo endpoint got (userinfoForResourceTokens). */
    userinfoRequests: () => userinfoRequests,
    /** Makes that endpoint answer `status` from now on (undefined: answer normally again). */
    setUserinfoStatus(status) {
      userinfoStatus = status;
    },
    /** How many times the login/consent page was visited. */
    interactions: () => interactionCount,
    /**
     * Rewrites every successful token endpoint answer from now on: `filter(json)` returns the JSON
     * to send instead (it may be async); undefined turns it off. For tests of what a client of this
     * server must refuse (a forged ID token, a wrong nonce...).
     */
    setTokenResponseFilter(filter) {
      tokenResponseFilter = filter;
    },
    /** Every answer so far (a copy), oldest first: {method, url, status, location?, json?}. */
    exchanges: () => exchangeLog.map((e) => ({ ...e })),
    /**
     * Creates a client as an operator does in an identity provider's console (the way the one
     * confidential client of upstream mode exists): validated by oidc-provider like a
     * registration, then stored through the provider's own adapter, where Client.find() looks
     * up every client that is not static. Static `clients` would have to be known when the
     * Provider is constructed, but a redirect URI of mcp-host names its port, known only once
     * it listens (port 0), so the client is added afterwards. Returns the stored metadata.
     */
    async addClient(metadata) {
      await provider.Client.validate(metadata); // throws InvalidClientMetadata
      await provider.Client.adapter.upsert(metadata.client_id, { ...metadata });
      const client = await provider.Client.find(metadata.client_id);
      if (!client) throw new Error(`client ${metadata.client_id} was stored but cannot be found`);
      return client.metadata();
    },
    stop,
  };
}

// ---- CLI ----
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('usage: authorization-server.mjs [--port N]\n');
    process.exit(2);
  }
  const as = await startAuthorizationServer({ port, quiet: false });
  process.stdout.write(`authorization server listening on ${as.issuer}\n`);
  const shutdown = () => as.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
