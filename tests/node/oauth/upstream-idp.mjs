// The upstream identity provider of mcp-host in proxy mode: ./authorization-server.mjs (npm
// oidc-provider) in upstream mode, standing where Auth0, Google or Okta stand in production.
//
//   - registration disabled: nobody can create a client here by HTTP (MCP clients cannot
//     register at the upstream, which is why the host runs as a proxy);
//   - one confidential client, the host's: a client id and secret an operator would copy from
//     the provider's console, authenticating at the token endpoint with client_secret_basic or
//     client_secret_post, grants authorization_code (and refresh_token, so the upstream hands the
//     host a refresh token too, which must stay on the host like every other upstream token),
//     one redirect URI: the host's /oauth/callback;
//   - PKCE S256 required (the host must send its own challenge), ID tokens (RS256) with sub,
//     email and name of the one user, who signs in and consents automatically.
//
// The host's port is only known once it listens (port 0), and its redirect URI names the port,
// so the client is created in two steps: newClientCredentials() before the host starts (its
// config needs the id and secret), then register(redirectUri) once the host is up, which stores
// the client through the provider's adapter (see addClient() in authorization-server.mjs).
import { randomBytes } from 'node:crypto';

import { startAuthorizationServer, TEST_USER } from './authorization-server.mjs';

export { TEST_USER };

/**
 * Starts the upstream identity provider on 127.0.0.1 (port 0).
 * @returns the server of startAuthorizationServer() plus `endpoints` (issuer, authEndpoint,
 *   tokenEndpoint, jwksUrl, userinfoUrl, registrationUrl), `newClientCredentials()` and
 *   `issuedSecrets()`.
 */
export async function startUpstreamIdp(opts = {}) {
  const as = await startAuthorizationServer({ ...opts, upstream: true, apiScopes: [] });
  const endpoints = {
    issuer: as.issuer,
    authEndpoint: `${as.issuer}/auth`,
    tokenEndpoint: `${as.issuer}/token`,
    jwksUrl: `${as.issuer}/jwks`,
    userinfoUrl: `${as.issuer}/me`,
    // oidc-provider's registration path; not routed while registration is disabled.
    registrationUrl: `${as.issuer}/reg`,
  };
  const clients = [];

  /**
   * A client id and secret for the host's config. `register(redirectUri)` creates the client at
   * the provider once the host's callback URL is known.
   */
  function newClientCredentials({ authMethod = 'client_secret_basic' } = {}) {
    const credentials = {
      clientId: `mcph-upstream-${randomBytes(9).toString('hex')}`,
      clientSecret: `upstream-secret-${randomBytes(24).toString('base64url')}`,
      authMethod,
      async register(redirectUri) {
        return as.addClient({
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
          client_name: 'mcp-host (proxy mode)',
          application_type: 'web',
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: authMethod,
          id_token_signed_response_alg: 'RS256',
        });
      },
    };
    clients.push(credentials);
    return credentials;
  }

  /**
   * Everything the upstream issued or was configured with that must stay on the host: the
   * clients' ids and secrets, the authorization codes it redirected with, and every access,
   * refresh and ID token it returned.
   */
  function issuedSecrets() {
    const out = [];
    for (const c of clients) {
      out.push({ what: 'upstream client id', value: c.clientId }, { what: 'upstream client secret', value: c.clientSecret });
    }
    for (const e of as.exchanges()) {
      if (e.location) {
        const code = URL.parse(e.location, as.issuer)?.searchParams.get('code');
        if (code) out.push({ what: 'upstream authorization code', value: code });
      }
      for (const key of ['access_token', 'refresh_token', 'id_token']) {
        if (typeof e.json?.[key] === 'string') out.push({ what: `upstream ${key}`, value: e.json[key] });
      }
    }
    return out;
  }

  return Object.assign(as, { endpoints, newClientCredentials, issuedSecrets });
}
