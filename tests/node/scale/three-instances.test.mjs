// End-to-end: three mcp-host instances behind HAProxy, round robin (affinity only for a
// stateful MCP session, on its Mcp-Session-Id: sessions are not shared yet), sharing
// their authorization server's state through one Redis (the host's `redis` section). Real parts,
// all started here on 127.0.0.1: redis-server (Debian package; a Unix socket, no TCP, AOF on),
// the upstream identity provider (./oauth/upstream-idp.mjs, npm oidc-provider), three hosts in
// proxy mode with the same public URL (HAProxy's), the same Redis, the same signing-key and
// request-state secrets, and HAProxy (Debian package) running the shipped
// packaging/haproxy/mcp-host.cfg with only the bind line and the server addresses replaced.
// HAProxy names the instance that answered in X-Served-By (h1, h2, h3 = hosts[0], [1], [2]).
//
// What it shows:
//   1. the SDK client's whole proxy-mode sign-in (registration, consent page, consent, the
//      host's callback, token, refresh) with its steps answered by different instances; then
//      stateless (2026-07-28) whoami calls through HAProxy answered by all three;
//   2. that token, issued by one instance, opens an MCP session on every instance directly;
//      and stateful SDK sessions through HAProxy: each stays on the instance that created it
//      (the shipped config's stick table), while new sessions spread over the instances;
//   3. an authorization code redeemed at the same time on two instances works once;
//   4. a refresh token replayed on another instance revokes its family on all three;
//   5. a revocation on one instance is refused by the other two on the very next request;
//   6. Redis stopped: 503 with Retry-After (OAuth endpoints, MCP with a token); Redis back (same
//      socket and AOF): service resumes by itself, every grant and client is still there, and a
//      sign-in whose callback got the 503 finishes when the browser retries it;
//   7. an instance SIGKILLed while a client is signing in: the sign-in finishes and the next
//      stateless calls all succeed (HAProxy redispatches, its health check takes h3 out);
//   8. the registration limit per address is shared: the instances together accept
//      auth.registrationsPerMinute, not that many each.
//
//   node --import ./tests/node/lib/check-deps.mjs --import ./tests/node/oauth/check-runtime.mjs \
//     --test --test-reporter=spec tests/node/scale/three-instances.test.mjs
//
// MCPH_HOST_BIN / MCPH_PLUGINS_DIR as for the other tests; MCPH_HAPROXY and MCPH_REDIS_SERVER
// name other binaries. Every process listens on 127.0.0.1 only (Redis on a Unix socket); every
// wait is bounded and there are no fixed sleeps.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { discoverAuthorizationServerMetadata, refreshAuthorization, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { startHaproxy } from '../lib/haproxy.mjs';
import { hostPaths, startHost } from '../lib/host.mjs';
import { startRedis } from '../lib/redis.mjs';
import { CookieJar, followAuthorization, parseForms } from '../oauth/browser.mjs';
import { loopbackRedirectUri, TestOAuthProvider, unusedLoopbackPort } from '../oauth/client-provider.mjs';
import { HTTP_TIMEOUT_MS, jsonRpcResponse, parseBearerChallenge, postForm } from '../oauth/mcp-http.mjs';
import { startUpstreamIdp, TEST_USER } from '../oauth/upstream-idp.mjs';

const TEST_TIMEOUT_MS = 60_000;
const STATELESS_VERSION = '2026-07-28';
const INSTANCES = 3;
/** auth.registrationsPerMinute: above what tests 1-7 register from 127.0.0.1, low for test 8. */
const REGISTRATIONS_PER_MINUTE = 12;
/** How long HAProxy's health check (inter 2s, fall 2) may take to take a dead instance out. */
const HEALTH_CHECK_DEADLINE_MS = 15_000;

let work;
let idp;
let redis;
/** @type {Array<Awaited<ReturnType<typeof startHost>>>} hosts[i] is HAProxy's server h<i+1> */
const hosts = [];
const killed = new Set();
let haproxy;
let publicUrl;
let mcpUrl;
/** Set once after() has stopped everything (no pid left to kill on exit). */
let stoppedAll = false;

// ---- child process hygiene: whatever still runs when this process ends is killed ----
process.on('exit', () => {
  const pids = stoppedAll ? [] : [...hosts.map((h, i) => (killed.has(i) ? undefined : h.pid)), haproxy?.pid, redis?.pid];
  for (const pid of pids) {
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (work) rmSync(work, { recursive: true, force: true });
  redis?.remove();
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(128 + constants.signals[signal]));
}

before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'mcph-scale-'));
  // whoami shows the signed-in user; only it is loaded (three instances share the directory).
  const plugins = path.join(work, 'plugins');
  await mkdir(plugins);
  await copyFile(path.join(hostPaths().pluginsDir, 'whoami.so'), path.join(plugins, 'whoami.so'));

  redis = await startRedis();
  idp = await startUpstreamIdp();
  const credentials = idp.newClientCredentials();
  const haproxyPort = await unusedLoopbackPort();
  publicUrl = `http://127.0.0.1:${haproxyPort}`;
  mcpUrl = `${publicUrl}/mcp`;
  // One upstream client for the whole fleet: its callback is the public one, whichever instance
  // ends up serving it.
  await credentials.register(`${publicUrl}/oauth/callback`);

  const shared = {
    pluginsDir: plugins,
    admin: { host: '127.0.0.1', port: 0 }, // three instances: no fixed admin port
    server: { publicUrl, trustedProxies: ['127.0.0.1'] },
    mcp: { requestStateSecret: randomBytes(32).toString('base64url') },
    redis: {
      url: redis.url,
      keyPrefix: `mcph-scale-${randomBytes(4).toString('hex')}:`,
      signingKeySecret: randomBytes(32).toString('base64url'),
    },
    auth: {
      provider: 'proxy',
      authEndpoint: idp.endpoints.authEndpoint,
      tokenEndpoint: idp.endpoints.tokenEndpoint,
      issuer: idp.endpoints.issuer,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      scopes: ['openid', 'email', 'profile'],
      verify: { jwks: { jwksUrl: idp.endpoints.jwksUrl } },
      allowInsecureHttp: true, // the upstream is plain http on 127.0.0.1
      // Shared by the instances: tests 1-7 register 8 clients in all from 127.0.0.1.
      registrationsPerMinute: REGISTRATIONS_PER_MINUTE,
      // auth.refreshGraceSeconds stays at its default (60 s): see the replay test.
    },
  };
  // Started together, as a fleet is: the first to store the shared signing key wins, the others
  // must take it.
  const started = await Promise.allSettled(Array.from({ length: INSTANCES }, () => startHost(shared)));
  for (const s of started) if (s.status === 'fulfilled') hosts.push(s.value);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  for (const host of hosts) assert.equal(host.url, mcpUrl, 'every instance names the public MCP URL');

  haproxy = await startHaproxy({ port: haproxyPort, serverPorts: hosts.map((h) => h.port) });
});

after(async () => {
  const results = [];
  if (haproxy) results.push(await Promise.allSettled([haproxy.stop()]));
  results.push(
    await Promise.allSettled(
      hosts.map((host, i) => (killed.has(i) ? host.stop().catch(() => {}) : host.stop())), // a killed one only cleans up
    ),
  );
  results.push(await Promise.allSettled([idp?.stop(), redis?.stop()]));
  stoppedAll = true;
  redis?.remove();
  if (work) await rm(work, { recursive: true, force: true });
  const failure = results.flat().find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
});

// ---------------------------------------------------------------------------------------------
// Helpers

/** Everything that helps explain a failure: the hosts', HAProxy's and Redis's logs. */
async function diagnostics() {
  const parts = hosts.map((h, i) => `=== instance h${i + 1} (port ${h.port}) ===\n${h.logs().slice(-24 * 1024)}`);
  if (haproxy) parts.push(haproxy.logs().slice(-32 * 1024));
  if (redis) parts.push(await redis.logs());
  return parts.join('\n');
}

/** A test body whose failure carries diagnostics(). */
function explained(fn) {
  return async (t) => {
    try {
      await fn(t);
    } catch (err) {
      // The reporter prints the stack, which holds the message as it was when thrown.
      if (err && typeof err === 'object') err.stack = `${err.stack ?? err.message}\n${await diagnostics()}`;
      throw err;
    }
  };
}

/** The base URL of instance `i` itself, past HAProxy (its bound port). */
const direct = (i) => `http://127.0.0.1:${hosts[i].port}`;
/** The instance index an X-Served-By value names (h1 → 0), or undefined. */
const instanceOf = (servedBy) => (/^h[1-9]$/.test(servedBy ?? '') ? Number(servedBy.slice(1)) - 1 : undefined);

/** A fetch for the SDK that records method, URL, status and X-Served-By of every answer. */
function recordingFetch(log) {
  return async (input, init) => {
    const response = await fetch(input, init);
    log.push({
      method: init?.method ?? 'GET',
      url: String(input instanceof Request ? input.url : input),
      status: response.status,
      servedBy: response.headers.get('x-served-by'),
    });
    return response;
  };
}

/**
 * A stateless (2026-07-28) tools/call whoami, POSTed to `base` + /mcp with no session: the
 * revision's headers repeat the body (MCP-Protocol-Version, Mcp-Method, Mcp-Name) and _meta
 * carries the version and the client's capabilities (README, "Stateless revision").
 * Returns {status, servedBy, retryAfter, challenge, who, message, text}.
 */
let rpcId = 0;
async function statelessWhoami(base, token) {
  const id = ++rpcId;
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': STATELESS_VERSION,
    'mcp-method': 'tools/call',
    'mcp-name': 'whoami',
  };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: {
        name: 'whoami',
        arguments: {},
        _meta: {
          'io.modelcontextprotocol/protocolVersion': STATELESS_VERSION,
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const out = {
    status: res.status,
    servedBy: res.headers.get('x-served-by'),
    retryAfter: res.headers.get('retry-after'),
    wwwAuthenticate: res.headers.get('www-authenticate'),
  };
  if (res.status === 200) {
    out.message = await jsonRpcResponse(res, id);
    out.text = JSON.stringify(out.message);
    out.who = out.message.result?.structuredContent;
  } else {
    out.text = await res.text();
  }
  return out;
}

/** whoami through `base` with `token` answers for the upstream user; returns the answer. */
async function assertWhoami(base, token, what) {
  const r = await statelessWhoami(base, token);
  assert.equal(r.status, 200, `${what}: HTTP ${r.status} ${r.wwwAuthenticate ?? ''} ${r.text}`);
  assert.ok(r.message.result && !r.message.result.isError, `${what}: ${r.text}`);
  assert.equal(r.who?.authenticated, true, `${what}: ${r.text}`);
  assert.equal(r.who?.userId, TEST_USER.sub, `${what}: not the upstream user: ${r.text}`);
  assert.equal(r.who?.email, TEST_USER.email, `${what}: ${r.text}`);
  assert.equal(r.who?.issuer, publicUrl, `${what}: the issuer is not the public URL: ${r.text}`);
  return r;
}

/** An MCP request with `token` to `base` is refused: 401 invalid_token. */
async function assertRefused(base, token, what) {
  const r = await statelessWhoami(base, token);
  assert.equal(r.status, 401, `${what}: expected HTTP 401, got ${r.status} ${r.text}`);
  const challenge = parseBearerChallenge(r.wwwAuthenticate);
  assert.equal(challenge.error, 'invalid_token', `${what}: ${r.wwwAuthenticate}`);
}

/** A 503 with a Retry-After of whole seconds (or an HTTP date), as the host promises. */
function assertUnavailable(r, what) {
  assert.equal(r.status, 503, `${what}: expected HTTP 503 while Redis is down, got ${r.status} ${r.text ?? ''}`);
  const retryAfter = r.retryAfter ?? r.headers?.get('retry-after');
  assert.ok(retryAfter, `${what}: 503 without Retry-After`);
  assert.ok(/^\d+$/.test(retryAfter) || !Number.isNaN(Date.parse(retryAfter)), `${what}: Retry-After ${retryAfter}`);
}

/** PKCE verifier and S256 challenge. */
async function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: Buffer.from(digest).toString('base64url') };
}

/** A public client registered by raw RFC 7591 at `base` (HAProxy unless told). */
async function registerClient(base = publicUrl) {
  const redirectUri = await loopbackRedirectUri();
  const res = await fetch(`${base}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      client_name: 'mcph-node-e2e-scale',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const text = await res.text();
  assert.equal(res.status, 201, `POST /register: HTTP ${res.status} ${text}`);
  return { clientId: JSON.parse(text).client_id, redirectUri, servedBy: res.headers.get('x-served-by') };
}

/** The /authorize URL (at the public URL) for a raw client; `state` and PKCE are new each time. */
async function authorizeUrl(client) {
  const { verifier, challenge } = await pkcePair();
  const state = randomBytes(16).toString('base64url');
  const url = new URL('/authorize', publicUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    resource: mcpUrl,
  }).toString();
  return { url, verifier, state };
}

/** The redirect back to the client carries a code for `state` from the public issuer. */
function codeOf(back, { state }) {
  assert.equal(back.searchParams.get('error'), null, `authorization failed: ${back}`);
  assert.equal(back.searchParams.get('state'), state, back.href);
  assert.equal(back.searchParams.get('iss'), publicUrl, back.href);
  const code = back.searchParams.get('code');
  assert.ok(code, back.href);
  return code;
}

/**
 * The whole authorization by hand through HAProxy, as a browser does it (consent page approved,
 * the upstream, the host's callback): a host authorization code and the token request for it.
 * `client` is registered first unless given.
 */
async function authorizeByHand({ client, trace } = {}) {
  client ??= await registerClient();
  const { url, verifier, state } = await authorizeUrl(client);
  const back = await followAuthorization(url, { redirectUriPrefix: client.redirectUri, consent: 'approve', trace });
  const code = codeOf(back, { state });
  const grant = { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_id: client.clientId, code_verifier: verifier, resource: mcpUrl };
  return { client, code, grant };
}

/**
 * A sign-in stopped just before the host's callback: consent approved, signed in upstream, the
 * browser about to GET <publicUrl>/oauth/callback (not fetched). {callbackUrl, jar, state, verifier}.
 */
async function signInUpToCallback(client) {
  const jar = new CookieJar();
  const { url, state, verifier } = await authorizeUrl(client);
  const callbackUrl = await followAuthorization(url, { redirectUriPrefix: `${publicUrl}/oauth/callback`, consent: 'approve', jar });
  assert.ok(callbackUrl.searchParams.get('code'), `the upstream did not come back with a code: ${callbackUrl}`);
  return { callbackUrl, jar, state, verifier };
}

/** GET `url` with the browser's cookies, redirects not followed: {status, headers, location, text}. */
async function getWithJar(url, jar) {
  const headers = { accept: 'text/html' };
  const cookie = jar.header(url);
  if (cookie) headers.cookie = cookie;
  const res = await fetch(url, { redirect: 'manual', headers, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  jar.store(url, res);
  return { status: res.status, headers: res.headers, location: res.headers.get('location'), text: (await res.text()).slice(0, 500) };
}

/** A new grant through HAProxy: {client, accessToken, refreshToken}. */
async function obtainGrant() {
  const { client, grant } = await authorizeByHand();
  const res = await postForm(`${publicUrl}/token`, grant);
  assert.equal(res.status, 200, `POST /token (code): HTTP ${res.status} ${res.text}`);
  assert.ok(res.json.access_token && res.json.refresh_token, res.text);
  return { client, accessToken: res.json.access_token, refreshToken: res.json.refresh_token };
}

/** POST /token grant_type=refresh_token at `base`. */
function refresh(base, client, refreshToken) {
  return postForm(`${base}/token`, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.clientId });
}

/** Polls `check` (true: done) every 100 ms until `deadlineMs`; fails with `message()`. */
async function pollUntil(check, { deadlineMs, message }) {
  const end = Date.now() + deadlineMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) assert.fail(message());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// ---------------------------------------------------------------------------------------------
// The tests share one fleet and run in order; each makes its own grants, except the sessions of
// test 2, which use the SDK client's token of test 1.

/** The SDK client's provider after test 1 (its tokens, its registration). */
let signedIn;

test('1. the SDK signs in through HAProxy with its OAuth steps spread over the instances; stateless whoami reaches all three', { timeout: TEST_TIMEOUT_MS }, explained(async () => {
  const log = [];
  const trace = [];
  const fetchFn = recordingFetch(log);
  const provider = new TestOAuthProvider({
    redirectUrl: await loopbackRedirectUri(),
    clientName: 'mcph-node-e2e-scale-sdk',
    expectedIssuer: publicUrl,
    browser: { consent: 'approve', trace },
  });
  // The first connect: 401 → discovery → registration at the host → "opens the browser".
  const first = new Client({ name: 'mcph-node-e2e-scale-sdk', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider, fetch: fetchFn });
  await assert.rejects(first.connect(transport), (err) => {
    assert.ok(err instanceof UnauthorizedError, `expected UnauthorizedError, got ${err?.stack ?? err}`);
    return true;
  });
  await first.close();
  await transport.finishAuth(await provider.waitForAuthorizationCode());
  const issued = provider.tokens();
  assert.ok(issued?.access_token && issued.refresh_token, JSON.stringify(issued));

  // A refresh with the SDK's own helper, through HAProxy as well.
  const metadata = await discoverAuthorizationServerMetadata(publicUrl, { fetchFn });
  assert.equal(metadata.issuer, publicUrl);
  const refreshed = await refreshAuthorization(publicUrl, {
    metadata,
    clientInformation: provider.clientInformation(),
    refreshToken: issued.refresh_token,
    resource: new URL(mcpUrl),
    fetchFn,
  });
  assert.notEqual(refreshed.refresh_token, issued.refresh_token, 'the refresh token was not rotated');
  provider.saveTokens(refreshed);

  // Every step went through HAProxy, and which instance answered each is known.
  const inBrowser = (method, pathname) =>
    trace.find((e) => e.method === method && new URL(e.url).origin === publicUrl && new URL(e.url).pathname === pathname);
  const tokenCalls = log.filter((e) => e.method === 'POST' && e.url === `${publicUrl}/token` && e.status === 200);
  const steps = {
    register: log.find((e) => e.method === 'POST' && e.url === `${publicUrl}/register` && e.status === 201),
    'consent page': inBrowser('GET', '/authorize'),
    consent: inBrowser('POST', '/authorize'),
    callback: inBrowser('GET', '/oauth/callback'),
    token: tokenCalls[0],
    refresh: tokenCalls[1],
  };
  const servedBy = {};
  for (const [step, entry] of Object.entries(steps)) {
    assert.ok(entry, `no ${step} step through HAProxy:\nSDK: ${JSON.stringify(log, null, 1)}\nbrowser: ${trace.map((e) => `${e.method} ${e.url} ${e.status}`).join('\n')}`);
    const name = entry.servedBy ?? entry.headers?.['x-served-by'];
    assert.notEqual(instanceOf(name), undefined, `${step}: no X-Served-By from HAProxy (${name})`);
    servedBy[step] = name;
  }
  assert.equal(steps['consent page'].status, 200);
  assert.equal(steps.consent.status, 302);
  assert.equal(steps.callback.status, 302);
  const distinct = new Set(Object.values(servedBy));
  assert.ok(distinct.size >= 2, `the OAuth steps were all served by one instance: ${JSON.stringify(servedBy)}`);
  console.log(`# OAuth steps served by: ${JSON.stringify(servedBy)}`);

  // Stateless whoami through HAProxy, three in a row: round robin hands one to each instance.
  const answers = [];
  for (let i = 0; i < INSTANCES; i++) answers.push(await assertWhoami(publicUrl, refreshed.access_token, `stateless whoami #${i + 1} through HAProxy`));
  for (const a of answers) assert.equal(a.who.clientId, provider.clientInformation().client_id, a.text);
  const whoServed = answers.map((a) => a.servedBy);
  assert.equal(new Set(whoServed).size, INSTANCES, `three calls in a row were not answered by all three instances: ${whoServed}`);
  signedIn = { provider, refreshedBy: instanceOf(servedBy.refresh) };
}));

test('2. the token issued through one instance opens an MCP session on each instance directly', { timeout: TEST_TIMEOUT_MS }, explained(async (t) => {
  assert.ok(signedIn, 'test 1 did not sign in');
  const { provider } = signedIn;
  // Straight to each instance's own port, past HAProxy: sessions live in one instance's memory.
  // The token's audience is the public MCP URL (publicUrl + /mcp), and the host checks it
  // against its configured public URL, not against the request's Host; on a loopback bind a
  // loopback Host (127.0.0.1:<bound port>) passes the DNS-rebinding check. So the plain bound
  // URL works, with no Host rewriting.
  for (let i = 0; i < INSTANCES; i++) {
    const log = [];
    const client = new Client({ name: 'mcph-node-e2e-scale-session', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${direct(i)}/mcp`), { authProvider: provider, fetch: recordingFetch(log) });
    t.after(() => client.close());
    await client.connect(transport);
    assert.ok(transport.sessionId, `instance h${i + 1} gave no Mcp-Session-Id`);
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    assert.ok(!result.isError, JSON.stringify(result));
    assert.equal(result.structuredContent?.userId, TEST_USER.sub, JSON.stringify(result));
    assert.equal(result.structuredContent?.issuer, publicUrl, JSON.stringify(result));
    assert.equal(result.structuredContent?.clientId, provider.clientInformation().client_id, JSON.stringify(result));
    // The token verified as it was: no refresh, no new sign-in on the way.
    assert.ok(!log.some((e) => e.url.endsWith('/token') || e.status === 401), `instance h${i + 1}: ${JSON.stringify(log, null, 1)}`);
    assert.equal(provider.authorizationUrls.length, 1, 'the SDK signed in again');
    await client.close();
  }
}));

test('2b. stateful SDK sessions through HAProxy stay on their instance and spread over the three', { timeout: TEST_TIMEOUT_MS }, explained(async (t) => {
  assert.ok(signedIn, 'test 1 did not sign in');
  const { provider } = signedIn;
  const homes = new Set();
  for (let n = 0; n < INSTANCES; n++) {
    const log = [];
    const client = new Client({ name: 'mcph-node-e2e-scale-sticky', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${publicUrl}/mcp`), { authProvider: provider, fetch: recordingFetch(log) });
    t.after(() => client.close());
    await client.connect(transport);
    assert.ok(transport.sessionId, 'no Mcp-Session-Id through HAProxy');
    for (let i = 0; i < 4; i++) {
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      assert.ok(!result.isError, JSON.stringify(result));
      assert.equal(result.structuredContent?.userId, TEST_USER.sub, JSON.stringify(result));
    }
    await client.listTools();
    // Every answer of this session (initialize included) came from one instance, none was 404.
    const answers = log.filter((e) => e.method === 'POST');
    const servers = new Set(answers.map((e) => e.servedBy));
    assert.equal(servers.size, 1, `one session was served by ${[...servers]}: ${JSON.stringify(log, null, 1)}`);
    assert.ok(!log.some((e) => e.status === 404), JSON.stringify(log, null, 1));
    homes.add([...servers][0]);
    await client.close();
  }
  // initialize itself is round robin: three sessions in a row do not all live on one instance.
  assert.ok(homes.size >= 2, `every session was created on ${[...homes]}`);
}));

test('3. a code redeemed at the same time on two instances is redeemed once', { timeout: TEST_TIMEOUT_MS }, explained(async () => {
  const { grant } = await authorizeByHand();
  const [a, b] = await Promise.all([postForm(`${direct(0)}/token`, grant), postForm(`${direct(1)}/token`, grant)]);
  const results = [a, b];
  const ok = results.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, `the code was redeemed ${ok.length} times on two instances: h1 ${a.status} ${a.text} | h2 ${b.status} ${b.text}`);
  const loser = results.find((r) => r.status !== 200);
  assert.equal(loser.status, 400, loser.text);
  assert.equal(loser.json?.error, 'invalid_grant', loser.text);
  // A third instance refuses it too.
  const late = await postForm(`${direct(2)}/token`, grant);
  assert.equal(late.json?.error, 'invalid_grant', `the code worked again on h3: ${late.text}`);
  // RFC 6749 §4.1.2, as on one instance: the code was replayed, so what it issued is revoked,
  // on every instance.
  const issued = ok[0].json;
  assert.ok(issued.access_token && issued.refresh_token, ok[0].text);
  const refreshed = await postForm(`${direct(2)}/token`, { grant_type: 'refresh_token', refresh_token: issued.refresh_token, client_id: grant.client_id });
  assert.equal(refreshed.json?.error, 'invalid_grant', `the refresh token of a replayed code still works on h3: ${refreshed.text}`);
  for (let i = 0; i < INSTANCES; i++) await assertRefused(direct(i), issued.access_token, `h${i + 1}: the access token of a replayed code`);
}));

test('4. a refresh token replayed on another instance revokes its family on all three', { timeout: TEST_TIMEOUT_MS }, explained(async () => {
  const { client, accessToken: a1, refreshToken: r1 } = await obtainGrant();
  // Two rotations on two instances: r1 → r2 on h1, r2 → r3 on h2. r2 is now the immediately
  // previous token (a legal replay within auth.refreshGraceSeconds, 60 s); r1 is two
  // generations old, so presenting it is a genuine replay.
  const second = await refresh(direct(0), client, r1);
  assert.equal(second.status, 200, `refresh on h1: ${second.text}`);
  const { access_token: a2, refresh_token: r2 } = second.json;
  assert.ok(r2 && r2 !== r1, `not rotated: ${second.text}`);
  const third = await refresh(direct(1), client, r2);
  assert.equal(third.status, 200, `refresh on h2 of the token h1 issued: ${third.text}`);
  const { access_token: a3, refresh_token: r3 } = third.json;
  assert.ok(r3 && r3 !== r2, `not rotated: ${third.text}`);
  // Every instance accepts the newest access token now (and has looked at its grant once).
  for (let i = 0; i < INSTANCES; i++) await assertWhoami(direct(i), a3, `h${i + 1}: the newest access token before the replay`);

  const replay = await refresh(direct(2), client, r1);
  assert.equal(replay.status, 400, `r1 replayed on h3: HTTP ${replay.status} ${replay.text}`);
  assert.equal(replay.json?.error, 'invalid_grant', replay.text);

  for (let i = 0; i < INSTANCES; i++) {
    const newest = await refresh(direct(i), client, r3);
    assert.equal(newest.status, 400, `h${i + 1}: the newest refresh token still works after a replay: ${newest.text}`);
    assert.equal(newest.json?.error, 'invalid_grant', newest.text);
    for (const [what, token] of [['a1', a1], ['a2', a2], ['a3', a3]]) {
      await assertRefused(direct(i), token, `h${i + 1}: access token ${what} of a family revoked by a replay`);
    }
  }
}));

test('5. a revocation on one instance is refused by the other two on their very next request', { timeout: TEST_TIMEOUT_MS }, explained(async () => {
  // An access token revoked on h1.
  const x = await obtainGrant();
  for (let i = 0; i < INSTANCES; i++) await assertWhoami(direct(i), x.accessToken, `h${i + 1}: access token before its revocation`);
  const revokedAccess = await postForm(`${direct(0)}/revoke`, { token: x.accessToken, token_type_hint: 'access_token', client_id: x.client.clientId });
  assert.equal(revokedAccess.status, 200, `POST /revoke on h1: ${revokedAccess.text}`);
  await assertRefused(direct(1), x.accessToken, 'h2, right after h1 revoked the access token');
  await assertRefused(direct(2), x.accessToken, 'h3, right after h1 revoked the access token');
  await assertRefused(direct(0), x.accessToken, 'h1, after it revoked the access token');

  // A refresh token revoked on h2: its whole grant ends, access token included.
  const y = await obtainGrant();
  for (let i = 0; i < INSTANCES; i++) await assertWhoami(direct(i), y.accessToken, `h${i + 1}: access token before its grant's revocation`);
  const revokedRefresh = await postForm(`${direct(1)}/revoke`, { token: y.refreshToken, token_type_hint: 'refresh_token', client_id: y.client.clientId });
  assert.equal(revokedRefresh.status, 200, `POST /revoke on h2: ${revokedRefresh.text}`);
  await assertRefused(direct(2), y.accessToken, 'h3, right after h2 revoked the refresh token');
  await assertRefused(direct(0), y.accessToken, 'h1, right after h2 revoked the refresh token');
  const refused = await refresh(direct(2), y.client, y.refreshToken);
  assert.equal(refused.json?.error, 'invalid_grant', `h3 refreshed a token h2 revoked: ${refused.text}`);
}));

test('6. Redis stopped: 503 with Retry-After; Redis back on its socket and AOF: service resumes, every grant intact', { timeout: TEST_TIMEOUT_MS }, explained(async () => {
  const g = await obtainGrant();
  for (let i = 0; i < INSTANCES; i++) await assertWhoami(direct(i), g.accessToken, `h${i + 1}: before Redis stops`);
  // A browser half-way through a sign-in: its callback arrives while Redis is down.
  const halfWay = await signInUpToCallback(g.client);

  // What Redis being down must look like. Each check is recorded rather than thrown, so that
  // Redis is started again whatever happens (the next test needs it) and every wrong answer is
  // reported at once.
  const problems = [];
  const check = async (fn) => {
    try {
      await fn();
    } catch (err) {
      problems.push(err.message);
    }
  };
  await redis.stop();
  try {
    // The OAuth endpoints, through HAProxy (whichever instance answers).
    await check(async () => assertUnavailable(await refresh(publicUrl, g.client, g.refreshToken), 'POST /token (refresh) through HAProxy'));
    await check(async () => {
      const pending = await authorizeUrl(g.client);
      const res = await fetch(pending.url, { redirect: 'manual', headers: { accept: 'text/html' }, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
      assertUnavailable({ status: res.status, headers: res.headers, text: (await res.text()).slice(0, 300) }, 'GET /authorize through HAProxy');
    });
    await check(async () => {
      const res = await fetch(`${publicUrl}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ client_name: 'mcph-node-e2e-scale-down', redirect_uris: [await loopbackRedirectUri()], token_endpoint_auth_method: 'none' }),
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      });
      assertUnavailable({ status: res.status, headers: res.headers, text: await res.text() }, 'POST /register through HAProxy');
    });
    await check(async () =>
      assertUnavailable(
        await postForm(`${publicUrl}/revoke`, { token: g.refreshToken, token_type_hint: 'refresh_token', client_id: g.client.clientId }),
        'POST /revoke through HAProxy',
      ),
    );
    await check(async () => assertUnavailable(await getWithJar(halfWay.callbackUrl, halfWay.jar), 'GET /oauth/callback through HAProxy'));
    // MCP with a token, on every instance: never a silent fallback (neither 200 nor 401).
    for (let i = 0; i < INSTANCES; i++) {
      await check(async () => assertUnavailable(await statelessWhoami(direct(i), g.accessToken), `h${i + 1}: MCP with a token`));
    }
    await check(async () => assertUnavailable(await statelessWhoami(publicUrl, g.accessToken), 'MCP with a token through HAProxy'));
  } finally {
    await redis.start(); // the same socket, the same directory: the AOF is read back
  }
  try {
    await resumes(g, halfWay);
  } catch (err) {
    if (problems.length) err.message += `\nand while Redis was down:\n  ${problems.join('\n  ')}`;
    throw err;
  }
  assert.equal(problems.length, 0, `while Redis was down:\n  ${problems.join('\n  ')}`);
}));

/**
 * After Redis came back: every instance serves again by itself, grant `g` is intact, and the
 * callback refused with 503 (nothing decided) goes through when the browser retries it.
 */
async function resumes(g, halfWay) {
  // Each instance reconnects by itself: the first request after Redis answers again is served
  // (a command that finds its connection dead is sent again on a new one), on every instance.
  // The grant survived: its access token on every instance, its refresh token rotates, and the
  // registered client signs in again.
  for (let i = 0; i < INSTANCES; i++) await assertWhoami(direct(i), g.accessToken, `h${i + 1}: the access token from before the restart`);
  const rotated = await refresh(publicUrl, g.client, g.refreshToken);
  assert.equal(rotated.status, 200, `the refresh token from before the restart: HTTP ${rotated.status} ${rotated.text}`);
  assert.ok(rotated.json.refresh_token && rotated.json.refresh_token !== g.refreshToken, rotated.text);
  await assertWhoami(publicUrl, rotated.json.access_token, 'the access token refreshed after the restart');
  const callback = await getWithJar(halfWay.callbackUrl, halfWay.jar);
  assert.equal(callback.status, 302, `the callback retried after the restart: HTTP ${callback.status} ${callback.text}`);
  assert.ok(callback.location?.startsWith(g.client.redirectUri), `the retried callback went to ${callback.location}`);
  const resumedCode = codeOf(new URL(callback.location), { state: halfWay.state });
  const resumedToken = await postForm(`${publicUrl}/token`, {
    grant_type: 'authorization_code',
    code: resumedCode,
    redirect_uri: g.client.redirectUri,
    client_id: g.client.clientId,
    code_verifier: halfWay.verifier,
    resource: mcpUrl,
  });
  assert.equal(resumedToken.status, 200, `/token for the resumed sign-in: HTTP ${resumedToken.status} ${resumedToken.text}`);
  const again = await authorizeByHand({ client: g.client });
  const token = await postForm(`${publicUrl}/token`, again.grant);
  assert.equal(token.status, 200, `the client registered before the restart: /token HTTP ${token.status} ${token.text}`);
}

test('7. an instance killed while a client signs in: the sign-in finishes and every next call succeeds', { timeout: TEST_TIMEOUT_MS }, explained(async () => {
  const g = await obtainGrant();
  // A client half-way through its sign-in: registered, consent page shown (its pending
  // authorization is in Redis, whichever instance served it).
  const client = await registerClient();
  const { url, state, verifier } = await authorizeUrl(client);
  const jar = new CookieJar();
  const page = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html' }, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  jar.store(url, page);
  const html = await page.text();
  assert.equal(page.status, 200, `consent page: HTTP ${page.status} ${html.slice(0, 300)}`);
  const form = parseForms(html).find((f) => f.method === 'post');
  assert.ok(form, `no consent form: ${html.slice(0, 500)}`);

  const victim = 2; // h3
  const victimHost = hosts[victim];
  killed.add(victim);
  process.kill(victimHost.pid, 'SIGKILL');
  await pollUntil(
    async () => {
      try {
        process.kill(victimHost.pid, 0);
        return false;
      } catch {
        return true;
      }
    },
    { deadlineMs: 5_000, message: () => `h3 (pid ${victimHost.pid}) did not die of SIGKILL` },
  );

  // The consent is posted and the flow goes on through the upstream and the host's callback.
  const action = new URL(form.action || url.href, url);
  const body = new URLSearchParams(form.fields);
  const approve = form.buttons.find((b) => b.value === 'approve');
  assert.ok(approve, JSON.stringify(form));
  body.append(approve.name, approve.value);
  const posted = await fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
      origin: publicUrl, // as a browser sends on a form post
      ...(jar.header(action) ? { cookie: jar.header(action) } : {}),
    },
    body: body.toString(),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  jar.store(action, posted);
  const postedText = await posted.text();
  assert.equal(posted.status, 302, `consent POST after h3 died: HTTP ${posted.status} (${posted.headers.get('x-served-by')}) ${postedText.slice(0, 300)}`);
  const back = await followAuthorization(new URL(posted.headers.get('location'), action), { redirectUriPrefix: client.redirectUri, jar });
  const code = codeOf(back, { state });
  const token = await postForm(`${publicUrl}/token`, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: client.redirectUri,
    client_id: client.clientId,
    code_verifier: verifier,
    resource: mcpUrl,
  });
  assert.equal(token.status, 200, `/token after h3 died: HTTP ${token.status} ${token.text}`);

  // Ten stateless calls in a row, right away: none fails, h3 answers none, h1 and h2 share them
  // (HAProxy redispatches what it cannot connect to h3, until its health check takes h3 out).
  const served = [];
  for (let i = 0; i < 10; i++) {
    const r = await assertWhoami(publicUrl, i % 2 ? token.json.access_token : g.accessToken, `stateless call #${i + 1} after h3 died`);
    served.push(r.servedBy);
  }
  assert.ok(!served.includes('h3'), `h3 answered after it died?: ${served}`);
  assert.ok(served.includes('h1') && served.includes('h2'), `the survivors did not share the calls: ${served}`);

  // The health check (GET /healthz) takes h3 out, and never took the live instances out.
  await pollUntil(() => /Server mcp_hosts\/h3 is DOWN/.test(haproxy.logs()), {
    deadlineMs: HEALTH_CHECK_DEADLINE_MS,
    message: () => `HAProxy did not mark h3 DOWN within ${HEALTH_CHECK_DEADLINE_MS} ms`,
  });
  assert.doesNotMatch(haproxy.logs(), /Server mcp_hosts\/h[12] is DOWN/, 'the health check failed on a live instance');
}));

test('8. the registration limit per address is shared: all instances together accept it once', { timeout: TEST_TIMEOUT_MS }, explained(async () => {
  // This process is on 127.0.0.1, a trusted proxy, so the address it forwards is the one limited:
  // a bucket of its own, untouched by the other tests.
  const address = `198.51.100.${1 + (randomBytes(1)[0] % 254)}`;
  const accepted = {};
  let refused;
  for (let i = 0; i <= REGISTRATIONS_PER_MINUTE * INSTANCES && !refused; i++) {
    const res = await fetch(`${publicUrl}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ client_name: 'mcph-node-e2e-scale-limit', redirect_uris: [await loopbackRedirectUri()], token_endpoint_auth_method: 'none' }),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    const text = await res.text();
    const servedBy = res.headers.get('x-served-by');
    if (res.status === 201) accepted[servedBy] = (accepted[servedBy] ?? 0) + 1;
    else refused = { status: res.status, retryAfter: res.headers.get('retry-after'), servedBy, text };
  }
  const total = Object.values(accepted).reduce((a, b) => a + b, 0);
  assert.equal(refused?.status, 429, `no 429 after ${total} registrations: ${JSON.stringify(refused)}`);
  assert.equal(total, REGISTRATIONS_PER_MINUTE, `accepted per instance: ${JSON.stringify(accepted)}`);
  assert.ok(Object.keys(accepted).length >= 2, `one instance accepted them all: ${JSON.stringify(accepted)}`);
  assert.match(refused.retryAfter ?? '', /^[1-9]\d*$/, `429 without a Retry-After in seconds: ${JSON.stringify(refused)}`);
}));
