// End-to-end: mcp-host in native DCR mode (auth.provider "oidc") with a real OAuth/OIDC
// authorization server (oidc-provider, ./authorization-server.mjs) and the official MCP
// TypeScript SDK client doing the whole flow a real client does: 401 -> protected resource
// metadata -> authorization server metadata -> dynamic client registration -> authorization
// with PKCE and a resource indicator (a headless "browser" clicks allow) -> code exchange ->
// reconnect -> tools/call. Then what must be refused (raw HTTP), refresh, and step-up.
//
//   node --import ./tests/node/lib/check-deps.mjs --import ./tests/node/oauth/check-runtime.mjs \
//     --test --test-reporter=spec tests/node/oauth/native-dcr.test.mjs
//
// MCPH_HOST_BIN / MCPH_PLUGINS_DIR as for client.test.mjs; MCPH_TEST_PLUGINS_DIR (default
// build/test-plugins) holds scoped.so, the plugin with scope-protected tools (the step-up tests
// are skipped when it is not there). Every process listens on 127.0.0.1 only.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { constants } from 'node:os';
import { after, before, describe, test } from 'node:test';

import { decodeJwt, decodeProtectedHeader, exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT } from 'jose';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { startHost } from '../lib/host.mjs';
import { startAuthorizationServer, TEST_USER } from './authorization-server.mjs';
import { followAuthorization } from './browser.mjs';
import { loopbackRedirectUri, obtainTokens, TestOAuthProvider } from './client-provider.mjs';
import { pluginsDirWithScoped, scopedPluginPath } from './test-plugins.mjs';
import {
  callToolRaw,
  expectUnauthorized,
  HTTP_TIMEOUT_MS,
  initializeRequest,
  jsonRpcResponse,
  mcpPost,
  parseBearerChallenge,
  pollUntil,
} from './mcp-http.mjs';

const TEST_TIMEOUT_MS = 30_000;
/** Scopes the host advertises (PRM scopes_supported) and challenges with. */
const HOST_SCOPES = ['openid', 'email', 'profile', 'notes:read', 'notes:write'];
const API_SCOPES = ['notes:read', 'notes:write', 'secrets:read', 'secrets:admin'];
/** A resource that is not the host: tokens for it must be refused. */
const OTHER_RESOURCE = 'http://127.0.0.1:1/other';
/** Lifetime of the access tokens the expiry tests wait out. */
const SHORT_TTL_S = 3;

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

async function startTrackedHost(opts) {
  const host = await startHost(opts);
  children.add(host.pid);
  const stop = host.stop;
  host.stop = async () => {
    try {
      await stop();
    } finally {
      children.delete(host.pid);
    }
  };
  return host;
}

function hostAuthConfig(as, extra = {}) {
  return {
    provider: 'oidc',
    issuer: as.issuer,
    allowInsecureHttp: true, // the test authorization server is plain http on 127.0.0.1
    scopes: HOST_SCOPES,
    leewaySeconds: 0, // the expiry tests wait for exp itself, not exp + the default leeway
    ...extra,
  };
}

// ---- raw HTTP (helpers in ./mcp-http.mjs) ----

/** `token` is accepted: whoami answers for the test user. */
async function assertAccepted(host, token, what) {
  const result = await callToolRaw(host, token);
  assert.ok(!result.isError, `${what}: whoami failed: ${JSON.stringify(result)}`);
  assert.equal(result.structuredContent?.userId, TEST_USER.sub, `${what}: ${JSON.stringify(result)}`);
}

/** The valid token still works after a refusal. */
async function assertStillServes(host, token, what) {
  await assertAccepted(host, token, `after ${what}`);
}

// ---- the SDK client ----

/**
 * Connects an SDK client that has no token yet: the first connect gets 401, the SDK discovers,
 * registers and "opens the browser"; once the browser is back at the redirect URI the code is
 * exchanged (finishAuth) and a new transport connects with the token. Returns the connected
 * client, its transport and the provider (tokens, registration, what was opened).
 */
async function signInWithSdk(t, host, as, { clientName = 'mcph-node-e2e-oauth', grantTypes, beforeExchange } = {}) {
  const provider = new TestOAuthProvider({
    redirectUrl: await loopbackRedirectUri(),
    clientName,
    expectedIssuer: as.issuer,
  });
  if (grantTypes) {
    const base = Object.getOwnPropertyDescriptor(TestOAuthProvider.prototype, 'clientMetadata').get;
    Object.defineProperty(provider, 'clientMetadata', { get: () => ({ ...base.call(provider), grant_types: grantTypes }) });
  }

  const first = new Client({ name: 'mcph-node-e2e-oauth', version: '1.0.0' });
  const firstTransport = new StreamableHTTPClientTransport(new URL(host.url), { authProvider: provider });
  await assert.rejects(first.connect(firstTransport), (err) => {
    assert.ok(err instanceof UnauthorizedError, `expected UnauthorizedError from the first connect, got ${err?.stack ?? err}`);
    return true;
  });
  await first.close();
  assert.equal(provider.authorizationUrls.length, 1, 'the SDK did not ask to open the authorization URL once');

  const code = await provider.waitForAuthorizationCode();
  await beforeExchange?.(provider);
  await firstTransport.finishAuth(code);

  const client = new Client({ name: 'mcph-node-e2e-oauth', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(host.url), { authProvider: provider });
  try {
    await client.connect(transport);
  } catch (err) {
    err.message += `\n${host.logs()}`;
    throw err;
  }
  t.after(() => client.close());
  return { client, transport, provider };
}

function assertWhoamiIsTestUser(result, { issuer, clientId, scopes }) {
  assert.ok(!result.isError, `whoami failed: ${JSON.stringify(result)}`);
  const who = result.structuredContent;
  assert.equal(typeof who, 'object', `whoami has no structuredContent: ${JSON.stringify(result)}`);
  assert.equal(who.authenticated, true, JSON.stringify(who));
  assert.equal(who.userId, TEST_USER.sub, JSON.stringify(who));
  assert.equal(who.email, TEST_USER.email, JSON.stringify(who));
  assert.equal(who.name, TEST_USER.name, JSON.stringify(who));
  assert.equal(who.issuer, issuer, JSON.stringify(who));
  if (clientId !== undefined) assert.equal(who.clientId, clientId, JSON.stringify(who));
  assert.ok(Array.isArray(who.scopes), `scopes is not an array: ${JSON.stringify(who)}`);
  for (const scope of scopes) assert.ok(who.scopes.includes(scope), `scope ${scope} missing: ${JSON.stringify(who)}`);
  // The text copy says the same.
  assert.deepEqual(JSON.parse(result.content?.[0]?.text ?? 'null'), who);
  return who;
}

// =====================================================================================
describe('the test authorization server on its own (oidc-provider)', { timeout: 60_000 }, () => {
  let as;
  before(async () => {
    as = await startAuthorizationServer({ apiScopes: API_SCOPES });
  });
  after(async () => {
    await as?.stop();
  });

  test('metadata: issuer, DCR, PKCE S256, refresh tokens', { timeout: TEST_TIMEOUT_MS }, async () => {
    for (const wellKnown of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await fetch(new URL(wellKnown, as.issuer), { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
      assert.equal(res.status, 200, wellKnown);
      const md = await res.json();
      assert.equal(md.issuer, as.issuer);
      assert.ok(md.registration_endpoint, 'no registration_endpoint');
      assert.deepEqual(md.code_challenge_methods_supported, ['S256']);
      assert.ok(md.response_types_supported.includes('code'));
      assert.ok(md.grant_types_supported.includes('refresh_token'));
      assert.ok(md.token_endpoint_auth_methods_supported.includes('none'));
    }
  });

  test('authorization code + PKCE + resource: an RS256 JWT access token for that resource', { timeout: TEST_TIMEOUT_MS }, async () => {
    const resource = 'http://127.0.0.1:9/mcp';
    const { tokens, clientInformation } = await obtainTokens({
      issuer: as.issuer,
      resource,
      scope: 'openid email profile notes:read',
    });
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.ok(tokens.refresh_token, 'no refresh token');
    assert.deepEqual(decodeProtectedHeader(tokens.access_token), { alg: 'RS256', typ: 'at+jwt', kid: as.signingKey.kid });
    const claims = decodeJwt(tokens.access_token);
    assert.equal(claims.iss, as.issuer);
    assert.equal(claims.aud, resource);
    assert.equal(claims.sub, TEST_USER.sub);
    assert.equal(claims.email, TEST_USER.email);
    assert.equal(claims.name, TEST_USER.name);
    assert.equal(claims.client_id, clientInformation.client_id);
    assert.deepEqual(claims.scope.split(' ').sort(), ['email', 'notes:read', 'openid', 'profile']);
    assert.ok(claims.exp > claims.iat);
  });

  test('PKCE is required: an authorization request without code_challenge is refused', { timeout: TEST_TIMEOUT_MS }, async () => {
    const redirectUri = await loopbackRedirectUri();
    const reg = await fetch(new URL('/reg', as.issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [redirectUri], token_endpoint_auth_method: 'none', grant_types: ['authorization_code'] }),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    assert.equal(reg.status, 201);
    const { client_id: clientId } = await reg.json();
    const url = new URL('/auth', as.issuer);
    url.search = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid',
      resource: 'http://127.0.0.1:9/mcp',
      state: 's1',
    }).toString();
    const callback = await followAuthorization(url, { redirectUriPrefix: redirectUri });
    assert.equal(callback.searchParams.get('error'), 'invalid_request', callback.href);
    assert.equal(callback.searchParams.get('code'), null);
  });
});

// =====================================================================================
describe('mcp-host in native DCR mode (auth.provider "oidc")', { timeout: 240_000 }, () => {
  let as;
  let host;
  let plugins;
  /** A token from the real flow for the host's resource, to show the host still serves one. */
  let validToken;
  let validClientId;

  before(async () => {
    as = await startAuthorizationServer({ apiScopes: API_SCOPES });
    plugins = await pluginsDirWithScoped(tempDirs);
    host = await startTrackedHost({ auth: hostAuthConfig(as), pluginsDir: plugins.pluginsDir });
    const { tokens, clientInformation } = await obtainTokens({
      issuer: as.issuer,
      resource: host.url,
      scope: HOST_SCOPES.join(' '),
      clientName: 'mcph-node-e2e-valid-token',
    });
    validToken = tokens.access_token;
    validClientId = clientInformation.client_id;
  });

  after(async () => {
    try {
      await host?.stop();
    } finally {
      await as?.stop();
      await plugins?.cleanup();
    }
  });

  test('no token: 401 with a Bearer challenge whose resource_metadata serves the PRM', { timeout: TEST_TIMEOUT_MS }, async () => {
    const challenge = await expectUnauthorized(host, undefined, 'initialize without a token');
    assert.equal(challenge.error, undefined, 'no error code when no token was sent (RFC 6750 §3.1)');
    assert.ok(challenge.scope, 'the challenge names no scope');
    const metadataUrl = new URL(challenge.resource_metadata);
    assert.equal(metadataUrl.href, new URL('/.well-known/oauth-protected-resource/mcp', host.url).href);

    for (const url of [metadataUrl, new URL('/.well-known/oauth-protected-resource', host.url)]) {
      const res = await fetch(url, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
      assert.equal(res.status, 200, `${url}: HTTP ${res.status}`);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const prm = await res.json();
      assert.equal(prm.resource, host.url, `${url}: ${JSON.stringify(prm)}`);
      assert.deepEqual(prm.authorization_servers, [as.issuer], `${url}: ${JSON.stringify(prm)}`);
      assert.ok(Array.isArray(prm.scopes_supported), `${url}: ${JSON.stringify(prm)}`);
      for (const scope of HOST_SCOPES) assert.ok(prm.scopes_supported.includes(scope), `${url}: ${scope} missing`);
    }
  });

  test('the whole flow with the SDK client: discovery, DCR, PKCE, consent, code, whoami', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const interactionsBefore = as.interactions();
    const { client, provider } = await signInWithSdk(t, host, as);

    // What the SDK did on the way.
    const registered = provider.clientInformation();
    assert.ok(registered?.client_id, 'the SDK did not register a client');
    const authUrl = provider.authorizationUrls[0];
    assert.equal(authUrl.origin, as.issuer, `authorization URL not at the issuer: ${authUrl}`);
    assert.equal(authUrl.searchParams.get('response_type'), 'code');
    assert.equal(authUrl.searchParams.get('client_id'), registered.client_id);
    assert.equal(authUrl.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authUrl.searchParams.get('code_challenge'));
    assert.equal(authUrl.searchParams.get('resource'), host.url, 'resource indicator is not the MCP URL');
    assert.equal(authUrl.searchParams.get('redirect_uri'), provider.redirectUrl);
    assert.ok(as.interactions() > interactionsBefore, 'the login/consent page was never visited');

    const tokens = provider.tokens();
    assert.ok(tokens?.access_token, 'no access token saved');
    const claims = decodeJwt(tokens.access_token);
    assert.equal(claims.aud, host.url);
    assert.equal(claims.iss, as.issuer);

    // What the user sees.
    assert.equal(client.getServerVersion()?.name, 'mcp-host');
    const tools = (await client.listTools()).tools.map((tool) => tool.name);
    for (const name of ['echo', 'whoami']) assert.ok(tools.includes(name), `${name} missing from ${tools.join(', ')}`);
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    assertWhoamiIsTestUser(result, {
      issuer: as.issuer,
      clientId: registered.client_id,
      scopes: authUrl.searchParams.get('scope').split(' ').filter((s) => s !== 'offline_access'),
    });
    const echoed = await client.callTool({ name: 'echo', arguments: { text: 'signed in' } });
    assert.equal(echoed.content?.[0]?.text, 'signed in');
  });

  test('a garbage token: 401 invalid_token', { timeout: TEST_TIMEOUT_MS }, async () => {
    for (const garbage of ['not-a-jwt', 'a.b.c', `${validToken.slice(0, -4)}AAAA`]) {
      const challenge = await expectUnauthorized(host, garbage, `token ${garbage.slice(0, 20)}…`);
      assert.equal(challenge.error, 'invalid_token');
    }
    await assertStillServes(host, validToken, 'garbage tokens');
  });

  test('a token issued for another resource: 401', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { tokens } = await obtainTokens({ issuer: as.issuer, resource: OTHER_RESOURCE, scope: HOST_SCOPES.join(' ') });
    const claims = decodeJwt(tokens.access_token);
    assert.equal(claims.aud, OTHER_RESOURCE, 'the authorization server did not bind the token to the other resource');
    assert.equal(claims.iss, as.issuer);
    const challenge = await expectUnauthorized(host, tokens.access_token, 'a token for another resource');
    assert.equal(challenge.error, 'invalid_token');
    await assertStillServes(host, validToken, 'a token for another resource');
  });

  test('the ID token instead of the access token: 401', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { tokens, clientInformation } = await obtainTokens({ issuer: as.issuer, resource: host.url, scope: HOST_SCOPES.join(' ') });
    assert.ok(tokens.id_token, 'the authorization server issued no ID token');
    assert.equal(decodeJwt(tokens.id_token).aud, clientInformation.client_id);
    const challenge = await expectUnauthorized(host, tokens.id_token, 'an ID token');
    assert.equal(challenge.error, 'invalid_token');
    await assertStillServes(host, tokens.access_token, 'an ID token (the access token of the same response)');
  });

  test('the audience is compared as a URL: a query, a trailing slash or letter case do not matter', { timeout: TEST_TIMEOUT_MS }, async () => {
    // What ChatGPT does: the resource it requests carries the query of the URL it was given.
    const withQuery = `${host.url}?utm_source=e2e`;
    const { tokens } = await obtainTokens({ issuer: as.issuer, resource: withQuery, scope: HOST_SCOPES.join(' ') });
    assert.equal(decodeJwt(tokens.access_token).aud, withQuery);
    await assertAccepted(host, tokens.access_token, 'a token whose audience has a query');

    const { port } = new URL(host.url);
    const forge = (aud) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: as.issuer, aud, sub: TEST_USER.sub, client_id: validClientId, scope: 'openid', iat: now, exp: now + 600 })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: as.signingKey.kid })
        .sign(as.signingKey.privateKey);
    };
    for (const aud of [`${host.url}/`, `HTTP://127.0.0.1:${port}/mcp`, [host.url, `${as.issuer}/me`]]) {
      await assertAccepted(host, await forge(aud), `audience ${JSON.stringify(aud)}`);
    }
    for (const aud of [`${host.url}/other`, `http://localhost:${port}/mcp`, `http://127.0.0.1:${port}/`, ['x', 'y']]) {
      const challenge = await expectUnauthorized(host, await forge(aud), `audience ${JSON.stringify(aud)}`);
      assert.equal(challenge.error, 'invalid_token');
    }
  });

  test('an access token that expires: accepted, then 401 once exp has passed', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { tokens } = await obtainTokens({
      issuer: as.issuer,
      resource: host.url,
      scope: HOST_SCOPES.join(' '),
      afterRegistration: (client) => as.setAccessTokenTtl(client.client_id, SHORT_TTL_S),
    });
    const { exp } = decodeJwt(tokens.access_token);
    assert.ok(exp - Date.now() / 1000 <= SHORT_TTL_S + 1, `token lives too long: exp ${exp}`);
    await assertAccepted(host, tokens.access_token, 'the short-lived token before exp');

    let lastStatus;
    await pollUntil(
      async () => {
        const res = await mcpPost(host.url, initializeRequest(1), { token: tokens.access_token });
        await res.body?.cancel();
        lastStatus = res.status;
        return res.status === 401;
      },
      {
        deadlineMs: (exp + 5) * 1000 - Date.now(),
        message: () => `the expired token was still accepted 5 s after exp (last HTTP ${lastStatus})`,
      },
    );
    assert.ok(Date.now() / 1000 >= exp - 1, 'the token was refused before it expired');
    const challenge = await expectUnauthorized(host, tokens.access_token, 'an expired token');
    assert.equal(challenge.error, 'invalid_token');
    await assertStillServes(host, validToken, 'an expired token');
  });

  describe('forged tokens (jose) that differ from a good one in one way', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const goodClaims = () => ({
      iss: as.issuer,
      aud: host.url,
      sub: TEST_USER.sub,
      email: TEST_USER.email,
      name: TEST_USER.name,
      client_id: validClientId,
      scope: 'openid email profile',
      jti: randomUUID(),
      iat: now(),
      exp: now() + 600,
    });
    const sign = (claims, key, header = { alg: 'RS256', typ: 'at+jwt', kid: as.signingKey.kid }) =>
      new SignJWT(claims).setProtectedHeader(header).sign(key);
    const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

    test('control: signed with the authorization server key, all claims right: accepted', { timeout: TEST_TIMEOUT_MS }, async () => {
      // Shows the refusals below are for the one thing each changes.
      const token = await sign(goodClaims(), as.signingKey.privateKey);
      const result = await callToolRaw(host, token);
      assertWhoamiIsTestUser(result, { issuer: as.issuer, clientId: validClientId, scopes: ['openid', 'email', 'profile'] });
    });

    const cases = [
      [
        'signed by another key that claims the real kid',
        async () => sign(goodClaims(), (await generateKeyPair('RS256')).privateKey),
      ],
      [
        'signed by another key with an unknown kid',
        async () => sign(goodClaims(), (await generateKeyPair('RS256')).privateKey, { alg: 'RS256', typ: 'at+jwt', kid: `unknown-${randomUUID()}` }),
      ],
      ['expired an hour ago (beyond any leeway)', async () => sign({ ...goodClaims(), iat: now() - 7200, exp: now() - 3600 }, as.signingKey.privateKey)],
      ['without exp', async () => {
        const { exp, ...claims } = goodClaims();
        return sign(claims, as.signingKey.privateKey);
      }],
      ['not valid before an hour from now (nbf)', async () => sign({ ...goodClaims(), nbf: now() + 3600 }, as.signingKey.privateKey)],
      ['from another issuer', async () => sign({ ...goodClaims(), iss: 'http://127.0.0.1:1' }, as.signingKey.privateKey)],
      ['for another audience', async () => sign({ ...goodClaims(), aud: OTHER_RESOURCE }, as.signingKey.privateKey)],
      ['without aud', async () => {
        const { aud, ...claims } = goodClaims();
        return sign(claims, as.signingKey.privateKey);
      }],
      ['alg "none"', async () => `${b64({ alg: 'none', typ: 'at+jwt', kid: as.signingKey.kid })}.${b64(goodClaims())}.`],
      [
        'HS256 keyed with the public key (algorithm confusion)',
        async () => {
          const pem = await exportSPKI(await importJWK(as.signingKey.publicJwk, 'RS256', { extractable: true }));
          return sign(goodClaims(), new TextEncoder().encode(pem), { alg: 'HS256', typ: 'at+jwt', kid: as.signingKey.kid });
        },
      ],
      [
        'an embedded jwk header with the forger\'s key',
        async () => {
          const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
          return sign(goodClaims(), privateKey, { alg: 'RS256', typ: 'at+jwt', jwk: await exportJWK(publicKey) });
        },
      ],
    ];
    for (const [what, make] of cases) {
      test(`${what}: 401 invalid_token`, { timeout: TEST_TIMEOUT_MS }, async () => {
        const token = await make();
        const challenge = await expectUnauthorized(host, token, `a token ${what}`);
        assert.equal(challenge.error, 'invalid_token', `a token ${what}: ${JSON.stringify(challenge)}`);
        await assertStillServes(host, validToken, `a token ${what}`);
      });
    }
  });

  test("a session is bound to its user: another user's valid token gets 404 on it", { timeout: TEST_TIMEOUT_MS }, async () => {
    const init = await mcpPost(host.url, initializeRequest(1), { token: validToken });
    assert.equal(init.status, 200);
    const sessionId = init.headers.get('mcp-session-id');
    assert.ok(sessionId, 'initialize answered without Mcp-Session-Id');
    await jsonRpcResponse(init, 1);
    const initialized = await mcpPost(host.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, { token: validToken, sessionId });
    await initialized.body?.cancel();

    // A real token of the same authorization server for the same resource, for another user.
    const now = Math.floor(Date.now() / 1000);
    const mallory = await new SignJWT({
      iss: as.issuer,
      aud: host.url,
      sub: 'user-666',
      email: 'mallory@example.com',
      name: 'Mallory',
      client_id: validClientId,
      scope: 'openid email profile',
      jti: randomUUID(),
      iat: now,
      exp: now + 600,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: as.signingKey.kid })
      .sign(as.signingKey.privateKey);
    const call = (token) =>
      mcpPost(host.url, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'whoami', arguments: {} } }, { token, sessionId });

    const hijack = await call(mallory);
    await hijack.body?.cancel();
    assert.equal(hijack.status, 404, `another user's token on the session: HTTP ${hijack.status}`);
    const own = await call(validToken);
    assert.equal(own.status, 200, `the session's own user after the attempt: HTTP ${own.status}`);
    assert.equal((await jsonRpcResponse(own, 2)).result?.structuredContent?.userId, TEST_USER.sub);
    // Mallory's token itself is good: on a session of her own she is Mallory.
    const theirs = await callToolRaw(host, mallory);
    assert.equal(theirs.structuredContent?.userId, 'user-666', JSON.stringify(theirs));
  });

  test('a token in the query string instead of the Authorization header: 401', { timeout: TEST_TIMEOUT_MS }, async () => {
    const url = new URL(host.url);
    url.searchParams.set('access_token', validToken);
    await expectUnauthorized(host, undefined, 'a token in the query string', { url: url.href });
    await assertStillServes(host, validToken, 'a token in the query string');
  });

  test('refresh: the access token expires mid-session, the SDK refreshes it without a new sign-in', { timeout: 45_000 }, async (t) => {
    let clientId;
    const { client, provider } = await signInWithSdk(t, host, as, {
      clientName: 'mcph-node-e2e-refresh',
      beforeExchange: (p) => {
        clientId = p.clientInformation().client_id;
        as.setAccessTokenTtl(clientId, SHORT_TTL_S);
      },
    });
    const first = provider.tokens();
    assert.ok(first.refresh_token, 'the authorization server issued no refresh token');
    assertWhoamiIsTestUser(await client.callTool({ name: 'whoami', arguments: {} }), { issuer: as.issuer, clientId, scopes: [] });

    // Wait until the host refuses the access token (no fixed sleep: poll, bounded by exp).
    const { exp } = decodeJwt(first.access_token);
    let lastStatus;
    await pollUntil(
      async () => {
        const res = await mcpPost(host.url, initializeRequest(1), { token: first.access_token });
        await res.body?.cancel();
        lastStatus = res.status;
        return res.status === 401;
      },
      {
        deadlineMs: (exp + 5) * 1000 - Date.now(),
        message: () => `the expired token was still accepted 5 s after exp (last HTTP ${lastStatus})`,
      },
    );
    as.setAccessTokenTtl(clientId, undefined); // the refreshed token lives an hour

    // Same client, same session: the call gets 401, the SDK refreshes and retries.
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    assertWhoamiIsTestUser(result, { issuer: as.issuer, clientId, scopes: [] });
    const current = provider.tokens();
    assert.notEqual(current.access_token, first.access_token, 'the SDK did not get a new access token');
    assert.notEqual(current.refresh_token, first.refresh_token, 'the refresh token was not rotated');
    assert.equal(decodeJwt(current.access_token).aud, host.url, 'the refreshed token lost its resource');
    assert.equal(provider.authorizationUrls.length, 1, 'the SDK sent the user through the authorization page again');
  });

  describe('step-up: tools that need scopes (test plugin scoped.so)', () => {
    const skip = scopedPluginPath() ? false : 'scoped.so not built (build/test-plugins); set MCPH_TEST_PLUGINS_DIR';

    test('without the scope the tool is hidden and a call is 403 insufficient_scope', { skip, timeout: TEST_TIMEOUT_MS }, async (t) => {
      const { client } = await signInWithSdk(t, host, as, { clientName: 'mcph-node-e2e-scopes-list' });
      const tools = (await client.listTools()).tools.map((tool) => tool.name);
      assert.ok(tools.includes('whoami'), tools.join(', '));
      assert.ok(!tools.includes('scoped_read') && !tools.includes('scoped_admin'), `scoped tools listed: ${tools.join(', ')}`);

      // Raw, to see the 403 the SDK handles.
      const init = await mcpPost(host.url, initializeRequest(1), { token: validToken });
      assert.equal(init.status, 200);
      const sessionId = init.headers.get('mcp-session-id');
      await jsonRpcResponse(init, 1);
      const res = await mcpPost(
        host.url,
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'scoped_admin', arguments: {} } },
        { token: validToken, sessionId },
      );
      await res.body?.cancel();
      assert.equal(res.status, 403, `tools/call scoped_admin without its scopes: HTTP ${res.status}`);
      const challenge = parseBearerChallenge(res.headers.get('www-authenticate'));
      assert.equal(challenge.error, 'insufficient_scope');
      const scopes = (challenge.scope ?? '').split(' ');
      for (const scope of ['secrets:read', 'secrets:admin']) assert.ok(scopes.includes(scope), JSON.stringify(challenge));
      assert.ok(challenge.resource_metadata, `403 challenge without resource_metadata: ${res.headers.get('www-authenticate')}`);
      await assertStillServes(host, validToken, 'a 403 insufficient_scope');
    });

    test('the SDK steps up: 403 -> authorization for the missing scope -> the call succeeds', { skip, timeout: TEST_TIMEOUT_MS }, async (t) => {
      // No refresh_token grant: the SDK (1.32) answers a 403 by refreshing when it holds a refresh
      // token, and a refresh never adds scopes; without one it sends the user to authorize.
      const { client, transport, provider } = await signInWithSdk(t, host, as, {
        clientName: 'mcph-node-e2e-step-up',
        grantTypes: ['authorization_code'],
      });
      assert.equal(provider.tokens().refresh_token, undefined);
      await assert.rejects(client.callTool({ name: 'scoped_read', arguments: {} }), (err) => {
        assert.ok(err instanceof UnauthorizedError, `expected UnauthorizedError (step-up redirect), got ${err?.stack ?? err}`);
        return true;
      });
      assert.equal(provider.authorizationUrls.length, 2, 'the SDK did not send the user to authorize the new scope');
      const stepUpUrl = provider.authorizationUrls[1];
      assert.ok(stepUpUrl.searchParams.get('scope').split(' ').includes('secrets:read'), stepUpUrl.href);
      assert.equal(stepUpUrl.searchParams.get('resource'), host.url);

      await transport.finishAuth(await provider.waitForAuthorizationCode());
      assert.ok(decodeJwt(provider.tokens().access_token).scope.split(' ').includes('secrets:read'));
      const result = await client.callTool({ name: 'scoped_read', arguments: {} });
      assert.ok(!result.isError, JSON.stringify(result));
      assert.equal(result.content?.[0]?.text, 'the secret');
      const tools = (await client.listTools()).tools.map((tool) => tool.name);
      assert.ok(tools.includes('scoped_read'), `scoped_read not listed after step-up: ${tools.join(', ')}`);
      assert.ok(!tools.includes('scoped_admin'), `scoped_admin listed without secrets:admin: ${tools.join(', ')}`);
    });
  });
});
