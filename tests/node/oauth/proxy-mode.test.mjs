// End-to-end: mcp-host in proxy mode (auth.provider "proxy"). The host is the authorization
// server MCP clients see; behind it stands a real identity provider (./upstream-idp.mjs: npm
// oidc-provider with registration disabled and one confidential client, the host's). The official
// MCP TypeScript SDK client does the whole flow a real client does:
//
//   connect → 401 → protected resource metadata (names the host) → the host's RFC 8414 metadata
//   → dynamic registration at the host → /authorize at the host → the host's consent page
//   (approved by a headless "browser") → the upstream (signs in and consents automatically) →
//   the host's /oauth/callback (code exchange with the client secret, ID token checked) → the
//   client's redirect URI with the host's own code → /token (the host's own ES256 JWT) →
//   tools/call whoami shows the upstream user → refresh → revocation.
//
// And around it: the upstream refuses registration, the host refuses upstream tokens, nothing the
// upstream issued (client id, secret, codes, tokens) reaches the MCP client, a denied consent is
// access_denied at the client, and the refusals of the consent step, the callback and /token.
//
//   node --import ./tests/node/lib/check-deps.mjs --import ./tests/node/oauth/check-runtime.mjs \
//     --test --test-reporter=spec tests/node/oauth/proxy-mode.test.mjs
//
// MCPH_HOST_BIN / MCPH_PLUGINS_DIR as for client.test.mjs. Every process listens on 127.0.0.1
// only, on port 0; there are no fixed sleeps and every wait is bounded.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from 'jose';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { discoverAuthorizationServerMetadata, refreshAuthorization, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { InvalidGrantError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { startHost } from '../lib/host.mjs';
import { CookieJar, followAuthorization, parseForms } from './browser.mjs';
import { loopbackRedirectUri, obtainTokens, TestOAuthProvider } from './client-provider.mjs';
import {
  callToolRaw,
  expectUnauthorized,
  HTTP_TIMEOUT_MS,
  initializeRequest,
  mcpPost,
  parseBearerChallenge,
  postForm,
} from './mcp-http.mjs';
import { pluginsDirWithScoped, scopedPluginPath } from './test-plugins.mjs';
import { startUpstreamIdp, TEST_USER } from './upstream-idp.mjs';

const TEST_TIMEOUT_MS = 30_000;
/** What the host asks the upstream for (the ID token then carries email and name). */
const UPSTREAM_SCOPES = ['openid', 'email', 'profile'];
const CALLBACK_PATH = '/oauth/callback';
/** The registration limit of the second host (the lowest the config accepts without a warning). */
const REGISTRATIONS_PER_MINUTE = 10;

// ---- child process hygiene: a host still running when this process ends is killed ----
const children = new Set();
const tempDirs = new Set();
process.on('exit', () => {
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(128 + constants.signals[signal]));
}

/**
 * Starts mcp-host in proxy mode in front of `idp`, with a new confidential client of the upstream
 * (created there once the host's callback URL is known). Returns {host, origin, credentials, stop}.
 */
async function startProxyHost(idp, { authMethod = 'client_secret_basic', extra = {}, pluginsDir } = {}) {
  const credentials = idp.newClientCredentials({ authMethod });
  const dir = await mkdtemp(path.join(tmpdir(), 'mcph-proxy-store-'));
  tempDirs.add(dir);
  const auth = {
    provider: 'proxy',
    authEndpoint: idp.endpoints.authEndpoint,
    tokenEndpoint: idp.endpoints.tokenEndpoint,
    issuer: idp.endpoints.issuer,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    tokenEndpointAuthMethod: authMethod,
    scopes: UPSTREAM_SCOPES,
    verify: { jwks: { jwksUrl: idp.endpoints.jwksUrl } },
    allowInsecureHttp: true, // the upstream is plain http on 127.0.0.1
    store: { sqlite: path.join(dir, 'auth.db') },
    // A replayed old refresh token revokes its family at once (no grace for concurrent refreshes).
    refreshGraceSeconds: 0,
    // Every test registers its own clients, all from 127.0.0.1: more than the default 30 a minute.
    registrationsPerMinute: 10_000,
    ...extra,
  };
  const host = await startHost({ auth, pluginsDir });
  children.add(host.pid);
  const origin = new URL(host.url).origin;
  try {
    await credentials.register(`${origin}${CALLBACK_PATH}`);
  } catch (err) {
    await host.stop().catch(() => {});
    children.delete(host.pid);
    throw err;
  }
  const stop = async () => {
    try {
      await host.stop();
    } finally {
      children.delete(host.pid);
      await rm(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    }
  };
  return { host, origin, credentials, stop };
}

/**
 * A fetch for the SDK transport that records every response the MCP client receives: URL,
 * status, headers and (once read to its end) body. Bodies are read from a clone, so the SDK
 * sees the response unchanged; a long-lived SSE stream's body stays incomplete until it closes.
 */
function recordingFetch(log) {
  return async (input, init) => {
    const response = await fetch(input, init);
    const entry = {
      method: init?.method ?? 'GET',
      url: String(input instanceof Request ? input.url : input),
      status: response.status,
      headers: [...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n'),
      body: '',
    };
    log.push(entry);
    if (response.body) {
      response
        .clone()
        .text()
        .then((text) => {
          entry.body = text;
        })
        .catch(() => {});
    }
    return response;
  };
}

/**
 * Connects an SDK client that has no token yet, through the host's consent page and the
 * upstream: the first connect gets 401 and "opens the browser"; once it is back at the redirect
 * URI the code is exchanged (finishAuth) and a new transport connects with the host's token.
 */
async function signInWithSdk(t, env, { clientName = 'mcph-node-e2e-proxy', consent = 'approve', log = [], trace = [] } = {}) {
  const provider = new TestOAuthProvider({
    redirectUrl: await loopbackRedirectUri(),
    clientName,
    expectedIssuer: env.origin,
    browser: { consent, trace },
  });
  const fetchFn = recordingFetch(log);
  const first = new Client({ name: clientName, version: '1.0.0' });
  const firstTransport = new StreamableHTTPClientTransport(new URL(env.host.url), { authProvider: provider, fetch: fetchFn });
  await assert.rejects(first.connect(firstTransport), (err) => {
    assert.ok(err instanceof UnauthorizedError, `expected UnauthorizedError from the first connect, got ${err?.stack ?? err}\n${env.host.logs()}`);
    return true;
  });
  await first.close();
  assert.equal(provider.authorizationUrls.length, 1, 'the SDK did not ask to open the authorization URL once');

  let code;
  try {
    code = await provider.waitForAuthorizationCode();
  } catch (err) {
    err.message += `\n${env.host.logs()}`;
    throw err;
  }
  await firstTransport.finishAuth(code);

  const client = new Client({ name: clientName, version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(env.host.url), { authProvider: provider, fetch: fetchFn });
  try {
    await client.connect(transport);
  } catch (err) {
    err.message += `\n${env.host.logs()}`;
    throw err;
  }
  t.after(() => client.close());
  return { client, transport, provider, log, trace };
}

function assertWhoamiIsUpstreamUser(result, { issuer, clientId }) {
  assert.ok(!result.isError, `whoami failed: ${JSON.stringify(result)}`);
  const who = result.structuredContent;
  assert.equal(typeof who, 'object', `whoami has no structuredContent: ${JSON.stringify(result)}`);
  assert.equal(who.authenticated, true, JSON.stringify(who));
  assert.equal(who.userId, TEST_USER.sub, `userId is not the upstream sub: ${JSON.stringify(who)}`);
  assert.equal(who.email, TEST_USER.email, JSON.stringify(who));
  assert.equal(who.name, TEST_USER.name, JSON.stringify(who));
  assert.equal(who.issuer, issuer, `issuer is not the host: ${JSON.stringify(who)}`);
  if (clientId !== undefined) assert.equal(who.clientId, clientId, JSON.stringify(who));
  assert.ok(Array.isArray(who.scopes), `scopes is not an array: ${JSON.stringify(who)}`);
  return who;
}

/** `token` is accepted at /mcp: whoami answers for the upstream user. */
async function assertAcceptedRaw(host, token, what) {
  const result = await callToolRaw(host, token);
  assert.equal(result.structuredContent?.userId, TEST_USER.sub, `${what}: ${JSON.stringify(result)}`);
}

/** Upstream authorization requests (GET /auth?...) the upstream has received so far. */
function upstreamAuthorizationRequests(idp) {
  return idp
    .exchanges()
    .filter((e) => e.method === 'GET' && e.url.startsWith('/auth?'))
    .map((e) => new URL(e.url, idp.issuer));
}

/** Asserts that none of `secrets` ({what, value}) occurs in any of `haystacks` ({where, text}). */
function assertNoneLeaked(secrets, haystacks) {
  for (const { what, value } of secrets) {
    assert.ok(value && value.length >= 8, `suspiciously short secret ${what}: ${value}`);
    for (const { where, text } of haystacks) {
      // Also URL-encoded, as it would appear in a query string.
      const found = text.includes(value) || text.includes(encodeURIComponent(value));
      assert.ok(!found, `the ${what} reached the MCP client: it occurs in ${where}`);
    }
  }
}

/** A client registered at the host by raw RFC 7591 (public, loopback redirect URI). */
async function registerRawClient(origin, { clientName = 'mcph-node-e2e-proxy-raw' } = {}) {
  const redirectUri = await loopbackRedirectUri();
  const res = await fetch(`${origin}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      client_name: clientName,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const body = await res.text();
  assert.equal(res.status, 201, `POST /register: HTTP ${res.status} ${body}`);
  const info = JSON.parse(body);
  assert.ok(info.client_id, body);
  assert.equal(info.client_secret, undefined, `a public client got a secret: ${body}`);
  return { clientId: info.client_id, redirectUri, info };
}

/** PKCE verifier and S256 challenge. */
async function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: Buffer.from(digest).toString('base64url') };
}

/** The host's /authorize URL for a raw client. */
function hostAuthorizeUrl(env, { clientId, redirectUri, challenge, state, scope, resource = env.host.url, extra = {} }) {
  const url = new URL('/authorize', env.origin);
  const params = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    resource,
    ...(scope ? { scope } : {}),
    ...extra,
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url;
}

/** GETs the host's consent page with `jar`; returns {status, headers, html, form}. */
async function openConsentPage(url, jar) {
  const headers = { accept: 'text/html' };
  const cookie = jar.header(url);
  if (cookie) headers.cookie = cookie;
  const res = await fetch(url, { redirect: 'manual', headers, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  jar.store(url, res);
  const html = await res.text();
  const form = parseForms(html).find((f) => f.method === 'post');
  return { status: res.status, headers: res.headers, html, form };
}

/** POSTs the consent form with `fields` (an object) and optional cookie; returns the response (not followed). */
async function postConsent(origin, fields, { cookie } = {}) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin };
  if (cookie) headers.cookie = cookie;
  const res = await fetch(`${origin}/authorize`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const text = await res.text();
  return { status: res.status, location: res.headers.get('location'), text };
}

/** The host's token endpoint, raw. */
function tokenRequest(origin, params) {
  return postForm(`${origin}/token`, params);
}

// =====================================================================================
describe('the upstream identity provider on its own (oidc-provider, upstream mode)', { timeout: 60_000 }, () => {
  let idp;
  before(async () => {
    idp = await startUpstreamIdp();
  });
  after(async () => {
    await idp?.stop();
  });

  test('registration is disabled: no registration_endpoint, POST /reg refused', { timeout: TEST_TIMEOUT_MS }, async () => {
    const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    assert.equal(res.status, 200);
    const md = await res.json();
    assert.equal(md.issuer, idp.issuer);
    assert.equal(md.registration_endpoint, undefined, `registration_endpoint advertised: ${md.registration_endpoint}`);
    assert.equal(md.authorization_endpoint, idp.endpoints.authEndpoint);
    assert.equal(md.token_endpoint, idp.endpoints.tokenEndpoint);
    assert.equal(md.jwks_uri, idp.endpoints.jwksUrl);
    assert.deepEqual(md.code_challenge_methods_supported, ['S256']);

    const reg = await fetch(idp.endpoints.registrationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [await loopbackRedirectUri()], token_endpoint_auth_method: 'none' }),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    const body = await reg.text();
    assert.ok(reg.status >= 400 && reg.status < 500, `POST /reg at the upstream: HTTP ${reg.status} ${body}`);
    assert.ok(!body.includes('client_id'), `the upstream registered a client: ${body}`);
  });

  test('the confidential client: the token endpoint refuses a wrong secret and a public attempt', { timeout: TEST_TIMEOUT_MS }, async () => {
    const creds = idp.newClientCredentials({ authMethod: 'client_secret_basic' });
    await creds.register('http://127.0.0.1:9/oauth/callback');
    const basic = (id, secret) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
    const grant = { grant_type: 'authorization_code', code: 'nope', redirect_uri: 'http://127.0.0.1:9/oauth/callback', code_verifier: 'x'.repeat(43) };
    const wrong = await postForm(idp.endpoints.tokenEndpoint, grant, { headers: { authorization: basic(creds.clientId, 'wrong') } });
    assert.equal(wrong.status, 401, wrong.text);
    assert.equal(wrong.json?.error, 'invalid_client');
    const publicAttempt = await postForm(idp.endpoints.tokenEndpoint, { ...grant, client_id: creds.clientId });
    assert.equal(publicAttempt.json?.error, 'invalid_client', publicAttempt.text);
    // With the right secret the client is accepted (the made-up code is not).
    const right = await postForm(idp.endpoints.tokenEndpoint, grant, { headers: { authorization: basic(creds.clientId, creds.clientSecret) } });
    assert.equal(right.json?.error, 'invalid_grant', right.text);
  });
  test('what the host gets as that client: an ID token with sub, email, name and the nonce; an opaque access token', { timeout: TEST_TIMEOUT_MS }, async () => {
    const callback = 'http://127.0.0.1:9/oauth/callback';
    const creds = idp.newClientCredentials({ authMethod: 'client_secret_post' });
    await creds.register(callback);
    const { verifier, challenge } = await pkcePair();
    const nonce = randomBytes(12).toString('base64url');
    const url = new URL(idp.endpoints.authEndpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: creds.clientId,
      redirect_uri: callback,
      scope: UPSTREAM_SCOPES.join(' '),
      state: 'st',
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource: 'http://127.0.0.1:9/mcp', // what the generic proxy forwards; ignored here
    }).toString();
    const back = await followAuthorization(url, { redirectUriPrefix: callback });
    assert.equal(back.searchParams.get('state'), 'st', back.href);
    const code = back.searchParams.get('code');
    assert.ok(code, back.href);
    const res = await postForm(idp.endpoints.tokenEndpoint, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: callback,
      code_verifier: verifier,
      client_id: creds.clientId,
      client_secret: creds.clientSecret,
    });
    assert.equal(res.status, 200, res.text);
    const idToken = decodeJwt(res.json.id_token);
    assert.equal(idToken.iss, idp.issuer);
    assert.equal(idToken.aud, creds.clientId);
    assert.equal(idToken.nonce, nonce);
    assert.equal(idToken.sub, TEST_USER.sub);
    assert.equal(idToken.email, TEST_USER.email);
    assert.equal(idToken.name, TEST_USER.name);
    assert.equal(res.json.access_token.split('.').length, 1, 'the upstream access token is not opaque');
  });
});

// =====================================================================================
describe('mcp-host in proxy mode (auth.provider "proxy") in front of a real upstream', { timeout: 240_000 }, () => {
  let idp;
  /** {host, origin, credentials, stop} */
  let env;
  let plugins;

  before(async () => {
    idp = await startUpstreamIdp();
    plugins = await pluginsDirWithScoped(tempDirs);
    env = await startProxyHost(idp, { pluginsDir: plugins.pluginsDir });
  });

  after(async () => {
    try {
      await env?.stop();
    } finally {
      await idp?.stop();
      await plugins?.cleanup();
    }
  });

  test('discovery: 401 → protected resource metadata naming the host → the host as authorization server', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { host, origin } = env;
    const challenge = await expectUnauthorized(host, undefined, 'initialize without a token');
    assert.equal(challenge.error, undefined, 'no error code when no token was sent (RFC 6750 §3.1)');
    assert.equal(challenge.resource_metadata, `${origin}/.well-known/oauth-protected-resource/mcp`);

    const prmRes = await fetch(challenge.resource_metadata, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    assert.equal(prmRes.status, 200);
    const prm = await prmRes.json();
    assert.equal(prm.resource, host.url, JSON.stringify(prm));
    assert.deepEqual(prm.authorization_servers, [origin], `the PRM must name the host, not the upstream: ${JSON.stringify(prm)}`);

    const mdRes = await fetch(`${origin}/.well-known/oauth-authorization-server`, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    assert.equal(mdRes.status, 200);
    const mdText = await mdRes.text();
    const md = JSON.parse(mdText);
    assert.equal(md.issuer, origin);
    assert.equal(md.authorization_endpoint, `${origin}/authorize`);
    assert.equal(md.token_endpoint, `${origin}/token`);
    assert.equal(md.registration_endpoint, `${origin}/register`);
    assert.equal(md.revocation_endpoint, `${origin}/revoke`);
    assert.deepEqual(md.code_challenge_methods_supported, ['S256']);
    assert.ok(md.grant_types_supported.includes('refresh_token'), mdText);
    assert.ok(md.token_endpoint_auth_methods_supported.includes('none'), mdText);
    assert.ok(!mdText.includes(idp.issuer), `the host's metadata names the upstream: ${mdText}`);
    assert.ok(!mdText.includes(env.credentials.clientId), `the host's metadata names the upstream client id: ${mdText}`);
    // The SDK's own discovery agrees.
    const sdkMd = await discoverAuthorizationServerMetadata(origin);
    assert.equal(sdkMd.issuer, origin);
  });

  test('the whole flow with the SDK client: DCR at the host, consent, upstream sign-in, callback, token, whoami', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { host, origin, credentials } = env;
    const upstreamBefore = upstreamAuthorizationRequests(idp).length;
    const { client, provider, log, trace } = await signInWithSdk(t, env);

    // What the SDK did on the way: registered at the host, authorized at the host.
    const registered = provider.clientInformation();
    assert.ok(registered?.client_id, 'the SDK did not register a client');
    assert.notEqual(registered.client_id, credentials.clientId, 'the MCP client got the upstream client id');
    assert.equal(registered.client_secret, undefined, 'a public client got a client secret');
    const authUrl = provider.authorizationUrls[0];
    assert.equal(authUrl.origin, origin, `authorization URL not at the host: ${authUrl}`);
    assert.equal(authUrl.pathname, '/authorize');
    assert.equal(authUrl.searchParams.get('client_id'), registered.client_id);
    assert.equal(authUrl.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authUrl.searchParams.get('resource'), host.url);

    // The browser saw the host's consent page, with its protections, and posted it.
    const consentPage = trace.find((e) => e.method === 'GET' && new URL(e.url).origin === origin && new URL(e.url).pathname === '/authorize');
    assert.ok(consentPage, `no consent page on the way: ${trace.map((e) => `${e.method} ${e.url} ${e.status}`).join('\n')}`);
    assert.equal(consentPage.status, 200);
    assert.match(consentPage.headers['content-type'] ?? '', /^text\/html/);
    assert.ok(consentPage.body.includes('mcph-node-e2e-proxy'), 'the consent page does not show the client name');
    assert.ok(consentPage.body.includes(provider.redirectUrl), 'the consent page does not show the redirect URI');
    const frameDenied =
      /deny/i.test(consentPage.headers['x-frame-options'] ?? '') ||
      /frame-ancestors\s+'none'/.test(consentPage.headers['content-security-policy'] ?? '');
    assert.ok(frameDenied, `the consent page may be framed: ${JSON.stringify(consentPage.headers)}`);
    assert.match(consentPage.headers['set-cookie'] ?? '', /mcph_browser=[^;]+;.*HttpOnly/i, 'no browser-binding cookie');
    const post = trace.find((e) => e.method === 'POST' && new URL(e.url).origin === origin);
    assert.ok(post, 'the consent form was not posted');
    assert.equal(post.status, 302, `consent POST: HTTP ${post.status} ${post.body}`);

    // What the upstream saw: the host's own client, PKCE, nonce and state, the host's callback.
    const upstreamRequests = upstreamAuthorizationRequests(idp).slice(upstreamBefore);
    assert.ok(upstreamRequests.length >= 1, 'the upstream never saw an authorization request');
    const up = upstreamRequests[0].searchParams;
    assert.equal(up.get('client_id'), credentials.clientId);
    assert.equal(up.get('redirect_uri'), `${origin}${CALLBACK_PATH}`);
    assert.equal(up.get('response_type'), 'code');
    assert.equal(up.get('code_challenge_method'), 'S256');
    assert.ok(up.get('code_challenge'), 'no PKCE challenge upstream');
    assert.notEqual(up.get('code_challenge'), authUrl.searchParams.get('code_challenge'), "the client's PKCE challenge was forwarded upstream");
    assert.ok(up.get('nonce'), 'no nonce upstream');
    assert.ok(up.get('state'), 'no state upstream');
    assert.notEqual(up.get('state'), authUrl.searchParams.get('state'), "the client's state was forwarded upstream");
    for (const scope of UPSTREAM_SCOPES) assert.ok(up.get('scope').split(' ').includes(scope), up.get('scope'));
    assert.ok(idp.exchanges().some((e) => e.url === '/token' && e.status === 200 && e.json?.id_token), 'the host never redeemed the upstream code');

    // The client's callback: the host's code, the client's state, RFC 9207 iss = the host.
    const callback = provider.callbackUrls[0];
    assert.equal(callback.searchParams.get('iss'), origin, `callback: ${callback}`);
    assert.equal(callback.searchParams.get('error'), null, `callback: ${callback}`);

    // The host's own token: ES256, iss = the host, aud = the MCP URL, sub = the upstream user.
    const tokens = provider.tokens();
    assert.ok(tokens?.access_token && tokens.refresh_token, `tokens: ${JSON.stringify(tokens)}`);
    assert.equal(decodeProtectedHeader(tokens.access_token).alg, 'ES256');
    const md = await discoverAuthorizationServerMetadata(origin);
    assert.ok(md.jwks_uri, 'the host publishes no jwks_uri');
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(md.jwks_uri)), {
      issuer: origin,
      audience: host.url,
      algorithms: ['ES256'],
    });
    assert.equal(payload.sub, TEST_USER.sub);
    assert.equal(payload.client_id, registered.client_id);

    // What the user sees.
    assert.equal(client.getServerVersion()?.name, 'mcp-host');
    const tools = (await client.listTools()).tools.map((tool) => tool.name);
    assert.ok(tools.includes('whoami'), tools.join(', '));
    const who = assertWhoamiIsUpstreamUser(await client.callTool({ name: 'whoami', arguments: {} }), {
      issuer: origin,
      clientId: registered.client_id,
    });
    assert.deepEqual(JSON.parse((await client.callTool({ name: 'whoami', arguments: {} })).content?.[0]?.text ?? 'null'), who);
    assert.ok(log.length > 0, 'the recording fetch saw nothing');
  });

  test('nothing the upstream issued reaches the MCP client (client id, secret, codes, tokens)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { origin } = env;
    const { client, provider, log, trace } = await signInWithSdk(t, env, { clientName: 'mcph-node-e2e-proxy-leak' });
    await client.callTool({ name: 'whoami', arguments: {} });
    await client.close();

    const secrets = idp.issuedSecrets();
    const kinds = new Set(secrets.map((s) => s.what));
    for (const kind of ['upstream client secret', 'upstream authorization code', 'upstream access_token', 'upstream id_token']) {
      assert.ok(kinds.has(kind), `the upstream issued no ${kind}, so this test would prove nothing: ${[...kinds].join(', ')}`);
    }
    // Everything the SDK received (discovery, registration, token responses, MCP responses), the
    // redirect the browser brought back, and what the SDK stored.
    const seenByClient = [
      ...log.map((e, i) => ({ where: `response #${i} to ${e.method} ${e.url} (HTTP ${e.status})`, text: `${e.url}\n${e.headers}\n${e.body}` })),
      ...provider.callbackUrls.map((u) => ({ where: `the redirect to the client ${u}`, text: u.href })),
      { where: 'the saved tokens', text: JSON.stringify(provider.savedTokens) },
      { where: 'the saved client information', text: JSON.stringify(provider.clientInformation()) },
    ];
    assert.ok(log.some((e) => e.url === `${origin}/token` && e.body.includes('access_token')), 'the token response was not recorded');
    assertNoneLeaked(secrets, seenByClient);

    // What the host sent the browser: never the secret or an upstream token; the upstream client id
    // only in the redirect to the upstream (where the upstream needs it).
    const fromHost = trace.filter((e) => new URL(e.url).origin === origin);
    assert.ok(fromHost.length >= 3, `host responses in the browser trace: ${fromHost.length}`);
    const hostSecrets = secrets.filter((s) => s.what !== 'upstream client id' && s.what !== 'upstream authorization code');
    assertNoneLeaked(
      hostSecrets,
      fromHost.map((e) => ({ where: `the host's answer to ${e.method} ${e.url}`, text: `${JSON.stringify(e.headers)}\n${e.body}` })),
    );
    const toClient = fromHost.filter((e) => (e.headers.location ?? '').startsWith(provider.redirectUrl));
    assert.equal(toClient.length, 1, 'exactly one redirect from the host to the client');
    assertNoneLeaked(secrets, toClient.map((e) => ({ where: `the host's redirect to the client ${e.headers.location}`, text: e.headers.location })));
    const consentPages = fromHost.filter((e) => e.status === 200);
    assertNoneLeaked(
      secrets.filter((s) => s.what === 'upstream client id'),
      consentPages.map((e) => ({ where: `the consent page ${e.url}`, text: e.body })),
    );
  });

  test('the host refuses upstream tokens at /mcp (access token, ID token)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    await signInWithSdk(t, env, { clientName: 'mcph-node-e2e-proxy-upstream-tokens' });
    const upstreamTokens = idp.issuedSecrets().filter((s) => s.what === 'upstream access_token' || s.what === 'upstream id_token');
    assert.ok(upstreamTokens.length >= 2, 'no upstream tokens recorded');
    const idToken = upstreamTokens.find((s) => s.what === 'upstream id_token').value;
    assert.equal(decodeJwt(idToken).sub, TEST_USER.sub);
    assert.equal(decodeJwt(idToken).aud, env.credentials.clientId, 'the upstream ID token is not for the host client');
    for (const { what, value } of upstreamTokens) {
      const challenge = await expectUnauthorized(env.host, value, `an ${what}`);
      assert.equal(challenge.error, 'invalid_token', `${what}: ${JSON.stringify(challenge)}`);
    }
  });

  test('refresh: the access token stops working, the SDK refreshes (rotated) without a new sign-in', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { origin } = env;
    const { client, provider, log } = await signInWithSdk(t, env, { clientName: 'mcph-node-e2e-proxy-refresh' });
    const clientId = provider.clientInformation().client_id;
    assertWhoamiIsUpstreamUser(await client.callTool({ name: 'whoami', arguments: {} }), { issuer: origin, clientId });
    const first = provider.tokens();
    const upstreamBefore = upstreamAuthorizationRequests(idp).length;

    // The client's copy of the access token no longer works, as when it has expired (the host's
    // shortest lifetime is 60 s): its signature is broken, so the host answers 401 invalid_token.
    const broken = `${first.access_token.slice(0, -6)}AAAAAA`;
    provider._tokens = { ...first, access_token: broken };
    const refused = await mcpPost(env.host.url, initializeRequest(1), { token: broken });
    await refused.body?.cancel();
    assert.equal(refused.status, 401);

    // Same client, same session: 401 → the SDK refreshes at the host's /token → retries.
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    assertWhoamiIsUpstreamUser(result, { issuer: origin, clientId });
    const current = provider.tokens();
    assert.notEqual(current.access_token, broken, 'the SDK did not get a new access token');
    assert.notEqual(current.access_token, first.access_token, 'the SDK did not get a new access token');
    assert.ok(current.refresh_token, 'no refresh token after the refresh');
    assert.notEqual(current.refresh_token, first.refresh_token, 'the refresh token was not rotated');
    const refreshCall = log.find((e) => e.method === 'POST' && e.url === `${origin}/token` && e.status === 200 && e.body.includes(current.refresh_token));
    assert.ok(refreshCall, 'no refresh at the host token endpoint was recorded');
    const claims = decodeJwt(current.access_token);
    assert.equal(claims.aud, env.host.url, 'the refreshed token lost its audience');
    assert.equal(claims.sub, TEST_USER.sub);
    assert.equal(provider.authorizationUrls.length, 1, 'the SDK sent the user through the authorization page again');
    assert.equal(upstreamAuthorizationRequests(idp).length, upstreamBefore, 'a refresh sent the user to the upstream');
  });

  test('revocation: /revoke the refresh token → its access token is refused, a refresh is invalid_grant, the SDK signs in again', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { origin } = env;
    const { client, transport, provider } = await signInWithSdk(t, env, { clientName: 'mcph-node-e2e-proxy-revoke' });
    const clientInformation = provider.clientInformation();
    const { refresh_token: refreshToken, access_token: accessToken } = provider.tokens();
    assert.ok(refreshToken);

    const revoked = await postForm(`${origin}/revoke`, {
      token: refreshToken,
      token_type_hint: 'refresh_token',
      client_id: clientInformation.client_id,
    });
    assert.equal(revoked.status, 200, `POST /revoke: HTTP ${revoked.status} ${revoked.text}`);
    // RFC 7009 §2.2: revoking an unknown (here: already revoked) token is 200 too.
    const again = await postForm(`${origin}/revoke`, { token: refreshToken, client_id: clientInformation.client_id });
    assert.equal(again.status, 200, `POST /revoke again: HTTP ${again.status} ${again.text}`);

    // Raw, the exact answer.
    const raw = await tokenRequest(origin, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientInformation.client_id });
    assert.equal(raw.status, 400, `refresh after revocation: HTTP ${raw.status} ${raw.text}`);
    assert.equal(raw.json?.error, 'invalid_grant', raw.text);
    // With the SDK's own refresh.
    const metadata = await discoverAuthorizationServerMetadata(origin);
    await assert.rejects(
      refreshAuthorization(origin, { metadata, clientInformation, refreshToken, resource: new URL(env.host.url) }),
      (err) => {
        assert.ok(err instanceof InvalidGrantError, `expected InvalidGrantError, got ${err?.stack ?? err}`);
        return true;
      },
    );

    // The access token of the revoked grant ends with it (RFC 7009 §2.1).
    const challenge = await expectUnauthorized(env.host, accessToken, 'the access token of a revoked refresh token');
    assert.equal(challenge.error, 'invalid_token');

    // The SDK client: its access token no longer works, its refresh is refused, so it drops its
    // tokens and sends the user to authorize again (UnauthorizedError until finishAuth).
    await assert.rejects(client.callTool({ name: 'whoami', arguments: {} }), (err) => {
      assert.ok(err instanceof UnauthorizedError, `expected UnauthorizedError, got ${err?.stack ?? err}`);
      return true;
    });
    assert.ok(provider.invalidations.includes('tokens'), `the SDK did not drop its tokens: ${provider.invalidations}`);
    // At least one new authorization: the tool call's 401, and possibly the GET stream's reconnect.
    assert.ok(provider.authorizationUrls.length >= 2, 'the SDK did not start a new authorization');
    await transport.finishAuth(await provider.waitForAuthorizationCode());
    assertWhoamiIsUpstreamUser(await client.callTool({ name: 'whoami', arguments: {} }), {
      issuer: origin,
      clientId: clientInformation.client_id,
    });
  });

  test('revoking an access token (RFC 7009): /mcp refuses it at once; a token of another client is not revoked', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { origin, host } = env;
    const obtain = (clientName) => obtainTokens({ issuer: origin, resource: host.url, clientName, browser: { consent: 'approve' } });
    const mine = await obtain('mcph-node-e2e-proxy-revoke-access');
    const theirs = await obtain('mcph-node-e2e-proxy-revoke-access-other');
    await assertAcceptedRaw(host, mine.tokens.access_token, 'my access token before revocation');
    // Another client's attempt: 200 (RFC 7009 §2.2), and the token keeps working.
    const foreign = await postForm(`${origin}/revoke`, {
      token: theirs.tokens.access_token,
      token_type_hint: 'access_token',
      client_id: mine.clientInformation.client_id,
    });
    assert.equal(foreign.status, 200, foreign.text);
    await assertAcceptedRaw(host, theirs.tokens.access_token, "another client's access token after my attempt to revoke it");

    const revoked = await postForm(`${origin}/revoke`, {
      token: mine.tokens.access_token,
      token_type_hint: 'access_token',
      client_id: mine.clientInformation.client_id,
    });
    assert.equal(revoked.status, 200, revoked.text);
    const challenge = await expectUnauthorized(host, mine.tokens.access_token, 'a revoked access token');
    assert.equal(challenge.error, 'invalid_token');
  });

  test('a replayed (rotated) refresh token is invalid_grant and revokes its family', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { origin, host } = env;
    const { tokens, clientInformation } = await obtainTokens({
      issuer: origin,
      resource: host.url,
      scope: undefined,
      clientName: 'mcph-node-e2e-proxy-replay',
      browser: { consent: 'approve' },
    });
    const clientId = clientInformation.client_id;
    const r1 = tokens.refresh_token;
    assert.ok(r1, 'no refresh token');
    const second = await tokenRequest(origin, { grant_type: 'refresh_token', refresh_token: r1, client_id: clientId });
    assert.equal(second.status, 200, second.text);
    const r2 = second.json.refresh_token;
    assert.ok(r2 && r2 !== r1, `not rotated: ${second.text}`);
    const replay = await tokenRequest(origin, { grant_type: 'refresh_token', refresh_token: r1, client_id: clientId });
    assert.equal(replay.status, 400, `replayed refresh token: HTTP ${replay.status} ${replay.text}`);
    assert.equal(replay.json?.error, 'invalid_grant');
    const afterReplay = await tokenRequest(origin, { grant_type: 'refresh_token', refresh_token: r2, client_id: clientId });
    assert.equal(afterReplay.status, 400, `the newest refresh token still works after a replay: ${afterReplay.text}`);
    assert.equal(afterReplay.json?.error, 'invalid_grant');
    for (const [what, token] of [['the first access token', tokens.access_token], ['the refreshed access token', second.json.access_token]]) {
      const challenge = await expectUnauthorized(host, token, `${what} of a family revoked by a replay`);
      assert.equal(challenge.error, 'invalid_token');
    }
    // Another client cannot use (or probe) someone else's refresh token either.
    const other = await registerRawClient(origin);
    const foreign = await tokenRequest(origin, { grant_type: 'refresh_token', refresh_token: second.json.refresh_token, client_id: other.clientId });
    assert.equal(foreign.json?.error, 'invalid_grant', foreign.text);
  });

  test("another client can neither revoke nor use a client's refresh token (nor burn it)", { timeout: TEST_TIMEOUT_MS }, async () => {
    const { origin, host } = env;
    const { tokens, clientInformation } = await obtainTokens({
      issuer: origin,
      resource: host.url,
      clientName: 'mcph-node-e2e-proxy-foreign',
      browser: { consent: 'approve' },
    });
    const owner = clientInformation.client_id;
    const other = await registerRawClient(origin);
    const revoke = await postForm(`${origin}/revoke`, { token: tokens.refresh_token, client_id: other.clientId });
    assert.equal(revoke.status, 200, `RFC 7009: 200 whatever the token: ${revoke.text}`);
    const afterRevoke = await tokenRequest(origin, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: owner });
    assert.equal(afterRevoke.status, 200, `another client revoked the owner's refresh token: ${afterRevoke.text}`);
    const current = afterRevoke.json.refresh_token;
    const foreign = await tokenRequest(origin, { grant_type: 'refresh_token', refresh_token: current, client_id: other.clientId });
    assert.equal(foreign.json?.error, 'invalid_grant', `another client refreshed the owner's token: ${foreign.text}`);
    const ownerAgain = await tokenRequest(origin, { grant_type: 'refresh_token', refresh_token: current, client_id: owner });
    assert.equal(ownerAgain.status, 200, `another client's attempt burnt the owner's refresh token: ${ownerAgain.text}`);
  });

  test('scopes (test plugin scoped.so): the consent lists them, the token carries them, a refresh never widens them', {
    timeout: TEST_TIMEOUT_MS,
    skip: scopedPluginPath() ? false : 'scoped.so not built (build/test-plugins); set MCPH_TEST_PLUGINS_DIR',
  }, async () => {
    const { origin, host } = env;
    const trace = [];
    const { tokens, clientInformation } = await obtainTokens({
      issuer: origin,
      resource: host.url,
      scope: 'secrets:read',
      clientName: 'mcph-node-e2e-proxy-scopes',
      browser: { consent: 'approve', trace },
    });
    const consentPage = trace.find((e) => e.method === 'GET' && e.status === 200 && new URL(e.url).origin === origin);
    assert.ok(consentPage?.body.includes('secrets:read'), 'the consent page does not list the requested scope');
    assert.ok(!consentPage.body.includes('secrets:admin'), 'the consent page lists a scope that was not requested');
    assert.deepEqual(tokens.scope.split(' '), ['secrets:read'], `granted: ${tokens.scope}`);
    assert.equal(decodeJwt(tokens.access_token).scope, 'secrets:read');
    const read = await callToolRaw(host, tokens.access_token, 'scoped_read');
    assert.equal(read.content?.[0]?.text, 'the secret', JSON.stringify(read));
    assert.ok((await callToolRaw(host, tokens.access_token)).structuredContent.scopes.includes('secrets:read'));

    // scoped_admin needs secrets:admin too: 403 insufficient_scope naming what is missing.
    const init = await mcpPost(host.url, initializeRequest(1), { token: tokens.access_token });
    assert.equal(init.status, 200);
    const sessionId = init.headers.get('mcp-session-id');
    await init.body?.cancel();
    const res = await mcpPost(
      host.url,
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'scoped_admin', arguments: {} } },
      { token: tokens.access_token, sessionId },
    );
    await res.body?.cancel();
    assert.equal(res.status, 403, `scoped_admin without secrets:admin: HTTP ${res.status}`);
    const challenge = parseBearerChallenge(res.headers.get('www-authenticate'));
    assert.equal(challenge.error, 'insufficient_scope');
    assert.ok(challenge.scope.split(' ').includes('secrets:admin'), JSON.stringify(challenge));

    // RFC 6749 §6: a refresh cannot add scopes (refused with invalid_scope, or narrowed to the grant).
    const wider = await tokenRequest(origin, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: clientInformation.client_id,
      scope: 'secrets:read secrets:admin',
    });
    if (wider.status === 200) {
      assert.ok(!decodeJwt(wider.json.access_token).scope.split(' ').includes('secrets:admin'), `a refresh widened the scope: ${wider.text}`);
    } else {
      assert.equal(wider.json?.error, 'invalid_scope', wider.text);
    }
  });

  test('denying consent: access_denied at the client with its state and iss; the upstream is never visited', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { host, origin } = env;
    const upstreamBefore = upstreamAuthorizationRequests(idp).length;
    const provider = new TestOAuthProvider({
      redirectUrl: await loopbackRedirectUri(),
      clientName: 'mcph-node-e2e-proxy-deny',
      expectedIssuer: origin,
      browser: { consent: 'deny' },
    });
    const client = new Client({ name: 'mcph-node-e2e-proxy-deny', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(host.url), { authProvider: provider });
    await assert.rejects(client.connect(transport), UnauthorizedError);
    await client.close();
    await assert.rejects(provider.waitForAuthorizationCode(), /authorization failed: access_denied/);
    const callback = provider.callbackUrls[0];
    assert.ok(callback, 'the browser never came back to the client');
    assert.equal(callback.searchParams.get('error'), 'access_denied', callback.href);
    assert.equal(callback.searchParams.get('state'), provider._state, callback.href);
    assert.equal(callback.searchParams.get('iss'), origin, callback.href);
    assert.equal(callback.searchParams.get('code'), null, callback.href);
    assert.equal(upstreamAuthorizationRequests(idp).length, upstreamBefore, 'a denied consent still went to the upstream');
    assert.equal(provider.tokens(), undefined);
  });

  describe('refusals around the consent step, the callback and /token (raw HTTP)', () => {
    /** A raw client at the host and a consent page opened for it in a fresh browser. */
    async function consentFor() {
      const { clientId, redirectUri } = await registerRawClient(env.origin);
      const { verifier, challenge } = await pkcePair();
      const state = randomBytes(12).toString('base64url');
      const jar = new CookieJar();
      const url = hostAuthorizeUrl(env, { clientId, redirectUri, challenge, state });
      const page = await openConsentPage(url, jar);
      assert.equal(page.status, 200, `GET ${url}: HTTP ${page.status} ${page.html.slice(0, 500)}`);
      assert.ok(page.form, `no post form on the consent page: ${page.html.slice(0, 1000)}`);
      const fields = Object.fromEntries(page.form.fields);
      assert.ok(fields.ticket && fields.csrf_token, `consent form fields: ${JSON.stringify(page.form.fields)}`);
      return { clientId, redirectUri, verifier, challenge, state, jar, url, fields };
    }

    test('an unregistered redirect_uri or unknown client: an error page, never a redirect', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { clientId, redirectUri } = await registerRawClient(env.origin);
      const { challenge } = await pkcePair();
      const evil = 'http://127.0.0.1:9/evil';
      for (const [what, url] of [
        ['unregistered redirect_uri', hostAuthorizeUrl(env, { clientId, redirectUri: evil, challenge, state: 's' })],
        ['unknown client', hostAuthorizeUrl(env, { clientId: 'no-such-client', redirectUri, challenge, state: 's' })],
      ]) {
        const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
        const body = await res.text();
        assert.ok(res.status >= 400 && res.status < 500, `${what}: HTTP ${res.status} ${res.headers.get('location') ?? ''} ${body.slice(0, 300)}`);
        assert.equal(res.headers.get('location'), null, `${what}: redirected to ${res.headers.get('location')}`);
      }
    });

    test('registration refuses dangerous redirect URIs', { timeout: TEST_TIMEOUT_MS }, async () => {
      const bad = [
        'javascript:alert(1)',
        'data:text/html,hi',
        'http://attacker.example/callback', // plain http off loopback
        'http://user@127.0.0.1:9/callback', // userinfo
        'https://127.0.0.1@attacker.example/callback', // userinfo trick
        `${env.origin}${CALLBACK_PATH}`, // the host's own callback
        'http://127.0.0.1:9/callback#fragment',
        '/relative/callback',
      ];
      for (const uri of bad) {
        const res = await fetch(`${env.origin}/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ client_name: 'evil', redirect_uris: [uri], token_endpoint_auth_method: 'none' }),
          signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
        });
        const text = await res.text();
        assert.equal(res.status, 400, `redirect URI ${uri} registered: HTTP ${res.status} ${text}`);
        const body = JSON.parse(text);
        assert.ok(['invalid_redirect_uri', 'invalid_client_metadata'].includes(body.error), `${uri}: ${text}`);
      }
    });

    test("the consent page escapes the client's name (no markup injection)", { timeout: TEST_TIMEOUT_MS }, async () => {
      const name = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
      const { clientId, redirectUri } = await registerRawClient(env.origin, { clientName: name });
      const { challenge } = await pkcePair();
      const page = await openConsentPage(hostAuthorizeUrl(env, { clientId, redirectUri, challenge, state: 's3' }), new CookieJar());
      assert.equal(page.status, 200, page.html.slice(0, 300));
      assert.ok(!page.html.includes('<script>'), 'the client name was rendered as markup');
      assert.ok(!/<img\b/i.test(page.html), 'the client name was rendered as markup');
      assert.ok(page.html.includes('&lt;script&gt;'), 'the client name is not shown (escaped) on the consent page');
      assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    });

    test('a resource other than the MCP URL is refused at /authorize, before consent', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { clientId, redirectUri } = await registerRawClient(env.origin);
      const { challenge } = await pkcePair();
      const url = hostAuthorizeUrl(env, { clientId, redirectUri, challenge, state: 's2', resource: 'http://127.0.0.1:9/other' });
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
      const body = await res.text();
      assert.ok(!/name="ticket"/.test(body), 'a consent form for another resource');
      if (res.status >= 300 && res.status < 400) {
        const location = new URL(res.headers.get('location'));
        assert.ok(location.href.startsWith(redirectUri), `redirected elsewhere: ${location}`);
        assert.equal(location.searchParams.get('error'), 'invalid_target', location.href);
        assert.equal(location.searchParams.get('state'), 's2', location.href);
      } else {
        assert.ok(res.status >= 400, `HTTP ${res.status} ${body.slice(0, 300)}`);
      }
    });

    test('/authorize: plain PKCE and other response types are refused; only the loopback port may vary', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { clientId, redirectUri } = await registerRawClient(env.origin);
      const { challenge } = await pkcePair();
      const registered = new URL(redirectUri);
      const open = async (overrides) => {
        const url = hostAuthorizeUrl(env, { clientId, redirectUri, challenge, state: 's4' });
        for (const [k, v] of Object.entries(overrides)) url.searchParams.set(k, v);
        const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
        const body = await res.text();
        return { status: res.status, location: res.headers.get('location'), consent: /name="ticket"/.test(body), body };
      };
      for (const [what, overrides, error] of [
        ['code_challenge_method=plain', { code_challenge_method: 'plain' }, 'invalid_request'],
        ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
      ]) {
        const r = await open(overrides);
        assert.ok(!r.consent, `${what}: a consent form`);
        if (r.location) {
          const to = new URL(r.location);
          assert.ok(to.href.startsWith(redirectUri), `${what}: redirected to ${to}`);
          assert.equal(to.searchParams.get('error'), error, `${what}: ${to}`);
          assert.equal(to.searchParams.get('state'), 's4', `${what}: ${to}`);
        } else {
          assert.ok(r.status >= 400, `${what}: HTTP ${r.status}`);
        }
      }
      // RFC 8252 §7.3: a native client's loopback port may change between registration and use.
      const otherPort = new URL(redirectUri);
      otherPort.port = String(Number(registered.port) === 65535 ? 1024 : Number(registered.port) + 1);
      const portResult = await open({ redirect_uri: otherPort.href });
      assert.ok(portResult.consent, `another loopback port: HTTP ${portResult.status} ${portResult.location ?? ''} ${portResult.body.slice(0, 200)}`);
      const otherPath = new URL(redirectUri);
      otherPath.pathname = '/elsewhere';
      const localhost = new URL(redirectUri);
      localhost.hostname = 'localhost';
      for (const uri of [otherPath.href, localhost.href]) {
        const r = await open({ redirect_uri: uri });
        assert.ok(r.status >= 400 && !r.location && !r.consent, `redirect_uri ${uri}: HTTP ${r.status} ${r.location ?? ''}`);
      }
    });

    test('PKCE is required: /authorize without code_challenge goes nowhere near the upstream', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { clientId, redirectUri } = await registerRawClient(env.origin);
      const before = upstreamAuthorizationRequests(idp).length;
      const url = hostAuthorizeUrl(env, { clientId, redirectUri, challenge: undefined, state: 's1' });
      url.searchParams.delete('code_challenge_method');
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
      const body = await res.text();
      if (res.status >= 300 && res.status < 400) {
        const location = new URL(res.headers.get('location'));
        assert.ok(location.href.startsWith(redirectUri), `redirected elsewhere: ${location}`);
        assert.equal(location.searchParams.get('error'), 'invalid_request', location.href);
      } else {
        assert.ok(res.status >= 400, `HTTP ${res.status} ${body.slice(0, 300)}`);
        assert.ok(!/<form/i.test(body), 'a consent form without PKCE');
      }
      assert.equal(upstreamAuthorizationRequests(idp).length, before);
    });

    test('the consent POST without the browser cookie, or with a wrong csrf_token, is refused', { timeout: TEST_TIMEOUT_MS }, async () => {
      const before = upstreamAuthorizationRequests(idp).length;
      const c = await consentFor();
      const cookie = c.jar.header(new URL('/authorize', env.origin));
      assert.ok(cookie?.includes('mcph_browser='), `no browser cookie after the consent page: ${cookie}`);

      const noCookie = await postConsent(env.origin, { ...c.fields, decision: 'approve' });
      assert.ok(noCookie.status >= 400, `consent without the cookie: HTTP ${noCookie.status} → ${noCookie.location}`);
      const otherBrowser = await postConsent(env.origin, { ...c.fields, decision: 'approve' }, { cookie: `mcph_browser=${randomBytes(16).toString('base64url')}` });
      assert.ok(otherBrowser.status >= 400, `consent from another browser: HTTP ${otherBrowser.status} → ${otherBrowser.location}`);
      const wrongCsrf = await postConsent(env.origin, { ...c.fields, csrf_token: randomBytes(16).toString('base64url'), decision: 'approve' }, { cookie });
      assert.ok(wrongCsrf.status >= 400, `consent with a wrong csrf_token: HTTP ${wrongCsrf.status} → ${wrongCsrf.location}`);
      const noCsrf = await postConsent(env.origin, { ticket: c.fields.ticket, decision: 'approve' }, { cookie });
      assert.ok(noCsrf.status >= 400, `consent without csrf_token: HTTP ${noCsrf.status} → ${noCsrf.location}`);
      assert.equal(upstreamAuthorizationRequests(idp).length, before, 'a refused consent reached the upstream');

      // The genuine post still works afterwards (the refusals did not burn the ticket), once.
      const good = await postConsent(env.origin, { ...c.fields, decision: 'approve' }, { cookie });
      assert.equal(good.status, 302, `the genuine consent: HTTP ${good.status} ${good.text.slice(0, 300)}`);
      assert.ok(good.location.startsWith(idp.endpoints.authEndpoint), `approve went to ${good.location}`);
      const replayed = await postConsent(env.origin, { ...c.fields, decision: 'approve' }, { cookie });
      assert.ok(replayed.status >= 400, `the consent ticket worked twice: HTTP ${replayed.status} → ${replayed.location}`);
    });

    /** A consent approved in a fresh browser: the host's redirect to the upstream and its state there. */
    async function approvedConsent() {
      const c = await consentFor();
      const cookie = c.jar.header(new URL('/authorize', env.origin));
      const approved = await postConsent(env.origin, { ...c.fields, decision: 'approve' }, { cookie });
      assert.equal(approved.status, 302, approved.text.slice(0, 300));
      const toUpstream = new URL(approved.location);
      assert.equal(`${toUpstream.origin}${toUpstream.pathname}`, idp.endpoints.authEndpoint);
      return { ...c, toUpstream, upstreamState: toUpstream.searchParams.get('state') };
    }

    /** GET a URL of the host's callback with the browser's cookies; {status, location}. */
    async function getWithJar(url, jar) {
      const headers = { accept: 'text/html' };
      const cookie = jar.header(url);
      if (cookie) headers.cookie = cookie;
      const res = await fetch(url, { redirect: 'manual', headers, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
      const text = await res.text();
      return { status: res.status, location: res.headers.get('location'), text };
    }

    test('an error from the upstream (the user refused there) is access_denied at the client', { timeout: TEST_TIMEOUT_MS }, async () => {
      const c = await approvedConsent();
      const url = new URL(`${env.origin}${CALLBACK_PATH}`);
      url.search = new URLSearchParams({
        error: 'access_denied',
        error_description: 'End-User aborted interaction',
        state: c.upstreamState,
        iss: idp.issuer,
      }).toString();
      const res = await getWithJar(url, c.jar);
      assert.equal(res.status, 302, `callback with an upstream error: HTTP ${res.status} ${res.text.slice(0, 300)}`);
      const toClient = new URL(res.location);
      assert.ok(toClient.href.startsWith(c.redirectUri), toClient.href);
      assert.equal(toClient.searchParams.get('error'), 'access_denied', toClient.href);
      assert.equal(toClient.searchParams.get('state'), c.state, toClient.href);
      assert.equal(toClient.searchParams.get('code'), null, toClient.href);
    });

    test("a callback naming another issuer (RFC 9207 mix-up) gets the client no code", { timeout: TEST_TIMEOUT_MS }, async () => {
      const c = await approvedConsent();
      const back = await followAuthorization(c.toUpstream, { redirectUriPrefix: `${env.origin}${CALLBACK_PATH}`, jar: c.jar });
      assert.equal(back.searchParams.get('iss'), idp.issuer, `the upstream sent no iss: ${back}`);
      const mixedUp = new URL(back);
      mixedUp.searchParams.set('iss', 'http://127.0.0.1:9');
      const res = await getWithJar(mixedUp, c.jar);
      assert.ok(!(res.location ?? '').includes('code='), `a callback with another issuer's iss got a code: HTTP ${res.status} → ${res.location}`);
      if (res.location?.startsWith(c.redirectUri)) {
        assert.ok(new URL(res.location).searchParams.get('error'), `redirected to the client without an error: ${res.location}`);
      }
    });

    test('a sign-in approved in one browser cannot be finished in another (code injection at the callback)', { timeout: TEST_TIMEOUT_MS }, async () => {
      // The attacker approves its own client in its browser and sends the upstream URL to the
      // victim, whose browser signs in upstream and lands on the host's callback without the
      // attacker's browser cookie: the victim's identity must not reach the attacker's client.
      const c = await approvedConsent();
      const victim = new CookieJar();
      const callbackUrl = await followAuthorization(c.toUpstream, { redirectUriPrefix: `${env.origin}${CALLBACK_PATH}`, jar: victim });
      assert.ok(callbackUrl.searchParams.get('code'), callbackUrl.href);
      const res = await getWithJar(callbackUrl, victim);
      assert.ok(!(res.location ?? '').includes('code='), `the victim's sign-in reached the attacker's client: HTTP ${res.status} → ${res.location}`);
      assert.ok(res.status >= 400 || new URL(res.location).searchParams.get('error'), `HTTP ${res.status} → ${res.location}`);
    });

    test('the callback refuses a forged or replayed state; the client never gets a code for it', { timeout: TEST_TIMEOUT_MS }, async () => {
      const c = await approvedConsent();
      // Let the "browser" sign in upstream and stop at the host's callback (not fetched yet).
      const callbackUrl = await followAuthorization(c.toUpstream, { redirectUriPrefix: `${env.origin}${CALLBACK_PATH}`, jar: c.jar });
      assert.ok(callbackUrl.searchParams.get('code'), `upstream callback: ${callbackUrl}`);

      const forged = new URL(callbackUrl);
      forged.searchParams.set('state', randomBytes(16).toString('base64url'));
      const forgedRes = await getWithJar(forged, c.jar);
      assert.ok(!(forgedRes.location ?? '').includes('code='), `a forged state got a code: HTTP ${forgedRes.status} → ${forgedRes.location}`);

      const genuine = await getWithJar(callbackUrl, c.jar);
      assert.equal(genuine.status, 302, `the genuine callback: HTTP ${genuine.status} ${genuine.text.slice(0, 300)}\n${env.host.logs()}`);
      const toClient = new URL(genuine.location);
      assert.ok(toClient.href.startsWith(c.redirectUri), toClient.href);
      assert.equal(toClient.searchParams.get('state'), c.state);
      assert.equal(toClient.searchParams.get('iss'), env.origin);
      const code = toClient.searchParams.get('code');
      assert.ok(code, toClient.href);

      const replayed = await getWithJar(callbackUrl, c.jar);
      assert.ok(!(replayed.location ?? '').includes('code='), `the callback state worked twice: HTTP ${replayed.status} → ${replayed.location}`);

      // /token: a wrong PKCE verifier is refused.
      const grant = { grant_type: 'authorization_code', code, redirect_uri: c.redirectUri, client_id: c.clientId, resource: env.host.url };
      const wrongVerifier = await tokenRequest(env.origin, { ...grant, code_verifier: randomBytes(32).toString('base64url') });
      assert.equal(wrongVerifier.status, 400, `wrong PKCE verifier: HTTP ${wrongVerifier.status} ${wrongVerifier.text}`);
      assert.equal(wrongVerifier.json?.error, 'invalid_grant', `wrong PKCE verifier: ${wrongVerifier.text}`);
      // A wrong redirect_uri too (with the right verifier).
      const wrongRedirect = await tokenRequest(env.origin, { ...grant, redirect_uri: 'http://127.0.0.1:9/other', code_verifier: c.verifier });
      assert.equal(wrongRedirect.json?.error, 'invalid_grant', `wrong redirect_uri: ${wrongRedirect.text}`);
    });

    /** A raw client's whole authorization: consent, upstream, callback; the redirect to the client. */
    async function throughUpstream() {
      const c = await approvedConsent();
      const back = await followAuthorization(c.toUpstream, { redirectUriPrefix: c.redirectUri, jar: c.jar });
      assert.equal(back.searchParams.get('state'), c.state, back.href);
      return { c, back };
    }

    /** A host authorization code for a raw client, through consent, upstream and callback. */
    async function hostCode() {
      const { c, back } = await throughUpstream();
      const code = back.searchParams.get('code');
      assert.ok(code, back.href);
      const grant = { grant_type: 'authorization_code', code, redirect_uri: c.redirectUri, client_id: c.clientId, code_verifier: c.verifier, resource: env.host.url };
      return { ...c, code, grant };
    }

    describe('the upstream answers the code exchange badly: the client gets an error, never a code', () => {
      const now = () => Math.floor(Date.now() / 1000);
      /** Re-signs the ID token's claims, changed by `change`, with the upstream's key (or `key`). */
      const reSign = (change, { key, alg = 'RS256', kid } = {}) => async (json) => {
        const claims = change({ ...decodeJwt(json.id_token) });
        const header = { alg, kid: kid ?? decodeProtectedHeader(json.id_token).kid };
        return { ...json, id_token: await new SignJWT(claims).setProtectedHeader(header).sign(key ?? idp.signingKey.privateKey) };
      };
      const cases = [
        ['another nonce', reSign((c) => ({ ...c, nonce: randomBytes(12).toString('base64url') }))],
        ['no nonce', reSign(({ nonce, ...c }) => c)],
        ['another audience', reSign((c) => ({ ...c, aud: 'some-other-client' }))],
        ['another issuer', reSign((c) => ({ ...c, iss: 'http://127.0.0.1:9' }))],
        ['expired', reSign((c) => ({ ...c, iat: now() - 7200, exp: now() - 3600 }))],
        ['no sub', reSign(({ sub, ...c }) => c)],
        [
          'signed by another key under the real kid',
          async (json) => {
            const { privateKey } = await generateKeyPair('RS256');
            return reSign((c) => c, { key: privateKey })(json);
          },
        ],
        [
          'alg none',
          async (json) => {
            const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
            return { ...json, id_token: `${b64({ alg: 'none' })}.${b64(decodeJwt(json.id_token))}.` };
          },
        ],
        [
          'HS256 keyed with the client secret',
          (json) => reSign((c) => c, { key: new TextEncoder().encode(env.credentials.clientSecret), alg: 'HS256' })(json),
        ],
        ['no ID token at all', ({ id_token: _, ...json }) => json],
        [
          'no token at all: the upstream token endpoint fails with HTTP 500',
          () => {
            throw new Error('upstream outage');
          },
        ],
      ];

      test('control: the same ID token re-signed unchanged is accepted', { timeout: TEST_TIMEOUT_MS }, async () => {
        idp.setTokenResponseFilter(reSign((c) => c));
        try {
          const { back } = await throughUpstream();
          assert.ok(back.searchParams.get('code'), `a re-signed genuine ID token was refused: ${back}\n${env.host.logs()}`);
        } finally {
          idp.setTokenResponseFilter(undefined);
        }
      });

      for (const [what, filter] of cases) {
        test(`${what}`, { timeout: TEST_TIMEOUT_MS }, async () => {
          idp.setTokenResponseFilter(filter);
          let back;
          try {
            ({ back } = await throughUpstream());
          } finally {
            idp.setTokenResponseFilter(undefined);
          }
          assert.equal(back.searchParams.get('code'), null, `an ID token with ${what} got the client a code: ${back}`);
          assert.ok(back.searchParams.get('error'), `no error for the client: ${back}`);
        });
      }
    });

    test('a code is redeemable exactly once, even by two concurrent requests', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { grant } = await hostCode();
      const results = await Promise.all([tokenRequest(env.origin, grant), tokenRequest(env.origin, grant)]);
      const ok = results.filter((r) => r.status === 200);
      assert.equal(ok.length, 1, `the code was redeemed ${ok.length} times concurrently: ${results.map((r) => r.text).join(' | ')}`);
      for (const r of results.filter((x) => x.status !== 200)) assert.equal(r.json?.error, 'invalid_grant', r.text);
      const late = await tokenRequest(env.origin, grant);
      assert.equal(late.json?.error, 'invalid_grant', `the code worked after use: ${late.text}`);
      // RFC 6749 §4.1.2: the code was replayed, so what it issued is revoked (SHOULD): the
      // refresh and access tokens of the winning request no longer work.
      const issued = ok[0].json;
      assert.ok(issued.access_token && issued.refresh_token, ok[0].text);
      const refreshed = await tokenRequest(env.origin, { grant_type: 'refresh_token', refresh_token: issued.refresh_token, client_id: grant.client_id });
      assert.equal(refreshed.json?.error, 'invalid_grant', `the refresh token of a replayed code still works: ${refreshed.text}`);
      const challenge = await expectUnauthorized(env.host, issued.access_token, 'the access token of a replayed code');
      assert.equal(challenge.error, 'invalid_token');
    });

    test("another client cannot redeem a client's code", { timeout: TEST_TIMEOUT_MS }, async () => {
      const { grant } = await hostCode();
      const other = await registerRawClient(env.origin);
      const stolen = await tokenRequest(env.origin, { ...grant, client_id: other.clientId, redirect_uri: other.redirectUri });
      assert.equal(stolen.status, 400, stolen.text);
      assert.equal(stolen.json?.error, 'invalid_grant', `another client redeemed the code: ${stolen.text}`);
    });
  });
});

// =====================================================================================
describe('mcp-host in proxy mode with client_secret_post at the upstream', { timeout: 60_000 }, () => {
  let idp;
  let env;
  before(async () => {
    idp = await startUpstreamIdp();
    env = await startProxyHost(idp, { authMethod: 'client_secret_post', extra: { registrationsPerMinute: REGISTRATIONS_PER_MINUTE } });
  });
  after(async () => {
    try {
      await env?.stop();
    } finally {
      await idp?.stop();
    }
  });

  test('the SDK signs in through the upstream and whoami shows the upstream user', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { client, provider } = await signInWithSdk(t, env, { clientName: 'mcph-node-e2e-proxy-post' });
    assertWhoamiIsUpstreamUser(await client.callTool({ name: 'whoami', arguments: {} }), {
      issuer: env.origin,
      clientId: provider.clientInformation().client_id,
    });
    assert.ok(idp.exchanges().some((e) => e.url === '/token' && e.status === 200), 'the upstream never issued a token');
  });

  test('registration is rate-limited per address: 429 once the minute is used up', { timeout: TEST_TIMEOUT_MS }, async () => {
    let refused;
    for (let i = 0; i <= REGISTRATIONS_PER_MINUTE && !refused; i++) {
      const res = await fetch(`${env.origin}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ client_name: `burst-${i}`, redirect_uris: [await loopbackRedirectUri()], token_endpoint_auth_method: 'none' }),
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      });
      const text = await res.text();
      if (res.status === 429) refused = { i, text };
      else assert.equal(res.status, 201, `registration ${i}: HTTP ${res.status} ${text}`);
    }
    assert.ok(refused, `${REGISTRATIONS_PER_MINUTE + 1} registrations within a minute were all accepted`);
    assert.equal(JSON.parse(refused.text).error, 'too_many_requests', refused.text);
  });
});
