// The client side of the OAuth flow, as a real MCP client does it, with the official TypeScript
// SDK: an in-memory OAuthClientProvider whose redirectToAuthorization() "opens the browser" (a
// cookie-keeping fetch through the authorization server's auto-approving login and consent) and
// captures the redirect to its loopback redirect URI; plus obtainTokens(), the same flow driven
// step by step with the SDK's exported helpers, for tokens the tests need outside an MCP client
// (another resource, a short lifetime).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

import {
  discoverAuthorizationServerMetadata,
  exchangeAuthorization,
  registerClient,
  startAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';

import { followAuthorization } from './browser.mjs';

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function unusedLoopbackPort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A redirect URI like a native MCP client's loopback callback (never fetched by the tests). */
export async function loopbackRedirectUri() {
  return `http://127.0.0.1:${await unusedLoopbackPort()}/callback`;
}

/**
 * Checks the authorization response captured at the redirect URI, as a careful client does:
 * the state it sent, RFC 9207 `iss` when present, no `error`; returns the code.
 */
export function codeFromCallback(callbackUrl, { state, issuer }) {
  const params = callbackUrl.searchParams;
  if (params.has('error')) {
    throw new Error(`authorization failed: ${params.get('error')}: ${params.get('error_description') ?? ''} (${callbackUrl})`);
  }
  if (state !== undefined && params.get('state') !== state) {
    throw new Error(`state mismatch in the authorization response: sent ${state}, got ${params.get('state')}`);
  }
  if (issuer !== undefined && params.has('iss') && params.get('iss') !== issuer) {
    throw new Error(`iss mismatch in the authorization response (RFC 9207): expected ${issuer}, got ${params.get('iss')}`);
  }
  const code = params.get('code');
  if (!code) throw new Error(`no code in the authorization response: ${callbackUrl}`);
  return code;
}

/**
 * OAuthClientProvider (from @modelcontextprotocol/sdk/client/auth.js) keeping everything in
 * memory, like a CLI MCP client with a loopback redirect.
 */
export class TestOAuthProvider {
  /**
   * @param {object} opts
   * @param {string} opts.redirectUrl       loopback redirect URI
   * @param {string} [opts.clientName]
   * @param {string} [opts.expectedIssuer]  checked against `iss` in the authorization response
   * @param {object} [opts.browser]         more options of followAuthorization() (browser.mjs), such
   *                                        as `consent: 'approve'` for a consent page on the way, a
   *                                        shared `jar` or a `trace` array
   */
  constructor({ redirectUrl, clientName = 'mcph-node-e2e-oauth', expectedIssuer, browser = {} }) {
    this._redirectUrl = redirectUrl;
    this._browser = browser;
    /** Every URL the "browser" came back to the redirect URI with, oldest first. */
    this.callbackUrls = [];
    this._clientName = clientName;
    this.expectedIssuer = expectedIssuer;
    this._clientInformation = undefined;
    this._tokens = undefined;
    this._codeVerifier = undefined;
    this._discoveryState = undefined;
    this._state = undefined;
    /** Every authorization URL the SDK asked us to open. */
    this.authorizationUrls = [];
    /** Every token set the SDK saved, oldest first. */
    this.savedTokens = [];
    /** Every invalidateCredentials() scope the SDK asked for. */
    this.invalidations = [];
    this._pendingCode = undefined;
  }

  get redirectUrl() {
    return this._redirectUrl;
  }

  get clientMetadata() {
    return {
      client_name: this._clientName,
      redirect_uris: [this._redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state() {
    this._state = randomBytes(16).toString('base64url');
    return this._state;
  }

  clientInformation() {
    return this._clientInformation;
  }

  saveClientInformation(info) {
    this._clientInformation = info;
  }

  tokens() {
    return this._tokens;
  }

  saveTokens(tokens) {
    this._tokens = tokens;
    this.savedTokens.push(tokens);
  }

  saveCodeVerifier(verifier) {
    this._codeVerifier = verifier;
  }

  codeVerifier() {
    if (!this._codeVerifier) throw new Error('no PKCE code verifier saved');
    return this._codeVerifier;
  }

  discoveryState() {
    return this._discoveryState;
  }

  saveDiscoveryState(state) {
    this._discoveryState = state;
  }

  invalidateCredentials(scope) {
    this.invalidations.push(scope);
    if (scope === 'all' || scope === 'client') this._clientInformation = undefined;
    if (scope === 'all' || scope === 'tokens') this._tokens = undefined;
    if (scope === 'all' || scope === 'verifier') this._codeVerifier = undefined;
    if (scope === 'all' || scope === 'discovery') this._discoveryState = undefined;
  }

  /** "Opens the browser": the flow runs in the background; waitForAuthorizationCode() gets its code. */
  redirectToAuthorization(authorizationUrl) {
    const url = new URL(authorizationUrl);
    this.authorizationUrls.push(url);
    // The state this URL carries (the SDK may run two authorizations at once, e.g. a tool call
    // and the GET stream's reconnect both answered 401; this._state is then the later one's),
    // and the PKCE verifier the SDK saved for it just before.
    const state = url.searchParams.get('state') ?? this._state;
    const verifier = this._codeVerifier;
    const pending = followAuthorization(url, { ...this._browser, redirectUriPrefix: this._redirectUrl }).then((callback) => {
      this.callbackUrls.push(callback);
      return { code: codeFromCallback(callback, { state, issuer: this.expectedIssuer }), verifier };
    });
    pending.catch(() => {}); // reported by waitForAuthorizationCode()
    this._pendingCode = pending;
  }

  /**
   * The code from the last redirectToAuthorization(), once the "browser" is back at the redirect
   * URI; the verifier of that authorization becomes the one finishAuth() sends.
   */
  async waitForAuthorizationCode() {
    if (!this._pendingCode) throw new Error('the SDK never called redirectToAuthorization()');
    const pending = this._pendingCode;
    this._pendingCode = undefined;
    const { code, verifier } = await pending;
    if (verifier) this._codeVerifier = verifier;
    return code;
  }
}

/**
 * Registers a client at `issuer` and runs the authorization code flow with PKCE for one
 * `resource`, with the SDK's helpers; returns the tokens, the client and the authorization URL.
 * @param {object} opts
 * @param {string} opts.issuer
 * @param {string} opts.resource
 * @param {string} [opts.scope]
 * @param {string} [opts.clientName]
 * @param {(clientInformation: object) => void} [opts.afterRegistration]  e.g. to set a token TTL
 * @param {object} [opts.browser]  more options of followAuthorization(), e.g. `consent: 'approve'`
 */
export async function obtainTokens({
  issuer,
  resource,
  scope = 'openid email profile',
  clientName = 'mcph-node-e2e-direct',
  afterRegistration,
  browser = {},
}) {
  const metadata = await discoverAuthorizationServerMetadata(issuer);
  if (!metadata) throw new Error(`no authorization server metadata at ${issuer}`);
  const redirectUrl = await loopbackRedirectUri();
  const clientInformation = await registerClient(issuer, {
    metadata,
    clientMetadata: {
      client_name: clientName,
      redirect_uris: [redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    },
    scope,
  });
  afterRegistration?.(clientInformation);
  const state = randomBytes(16).toString('base64url');
  const { authorizationUrl, codeVerifier } = await startAuthorization(issuer, {
    metadata,
    clientInformation,
    redirectUrl,
    scope,
    state,
    resource: new URL(resource),
  });
  const callback = await followAuthorization(authorizationUrl, { ...browser, redirectUriPrefix: redirectUrl });
  const authorizationCode = codeFromCallback(callback, { state, issuer: metadata.issuer });
  const tokens = await exchangeAuthorization(issuer, {
    metadata,
    clientInformation,
    authorizationCode,
    codeVerifier,
    redirectUri: redirectUrl,
    resource: new URL(resource),
  });
  return { tokens, clientInformation, metadata, authorizationUrl };
}
