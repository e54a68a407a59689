// End-to-end: mcp-host behind nginx with TLS, served under a path, as the README's example
// configuration (packaging/nginx/mcp-host.conf) sets it up. nginx (the Debian package) ends TLS
// with a self-signed certificate for 127.0.0.1 and passes /tools/... to the host unchanged; the
// host runs in proxy mode with server.publicUrl https://127.0.0.1:<nginx>/tools in front of a
// real identity provider (./upstream-idp.mjs). The official MCP TypeScript SDK client, talking
// to nginx only:
//
//   401 → protected resource metadata at /.well-known/oauth-protected-resource/tools/mcp → the
//   issuer https://127.0.0.1:<nginx>/tools and its RFC 8414 metadata at
//   /.well-known/oauth-authorization-server/tools → /tools/register → /tools/authorize (consent)
//   → the upstream → /tools/oauth/callback → /tools/token → tools/call whoami (the upstream
//   user) → a notification on the session's GET stream, through nginx's unbuffered proxying.
//
//   node --import ./tests/node/lib/check-deps.mjs --import ./tests/node/oauth/check-runtime.mjs \
//     --test --test-reporter=spec tests/node/oauth/reverse-proxy.test.mjs
//
// MCPH_HOST_BIN / MCPH_PLUGINS_DIR / MCPH_SDK12_PLUGINS_DIR as for the other tests; MCPH_NGINX
// names another nginx binary. Every process listens on 127.0.0.1 only; every wait is bounded.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

import { hostPaths, startHost } from '../lib/host.mjs';
import { selfSignedCertificate, startNginx } from '../lib/nginx.mjs';
import { loopbackRedirectUri, TestOAuthProvider, unusedLoopbackPort } from './client-provider.mjs';
import { startUpstreamIdp, TEST_USER } from './upstream-idp.mjs';

const TEST_TIMEOUT_MS = 60_000;
const BASE_PATH = '/tools';
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const sdk12Dir = process.env.MCPH_SDK12_PLUGINS_DIR || path.join(REPO_ROOT, 'build', 'sdk12-plugins');

let work;
let idp;
let host;
let nginx;
let publicUrl;
let adminPort;

process.on('exit', () => {
  for (const pid of [host?.pid, nginx?.pid]) {
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (work) rmSync(work, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(128 + constants.signals[signal]));
}

before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'mcph-reverse-proxy-'));
  const cert = await selfSignedCertificate(work);
  // The clients of this process (the SDK's fetch, the test "browser") trust the certificate,
  // as a machine whose operator installed it would.
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), cert.pem]);

  // whoami shows the signed-in user; sdk12 adds a tool on request, which the host announces on
  // the session's GET stream.
  const plugins = path.join(work, 'plugins');
  await mkdir(plugins);
  await copyFile(path.join(hostPaths().pluginsDir, 'whoami.so'), path.join(plugins, 'whoami.so'));
  await copyFile(path.join(sdk12Dir, 'sdk12.so'), path.join(plugins, 'sdk12.so'));

  idp = await startUpstreamIdp();
  const credentials = idp.newClientCredentials();
  const nginxPort = await unusedLoopbackPort();
  publicUrl = `https://127.0.0.1:${nginxPort}${BASE_PATH}`;
  adminPort = await unusedLoopbackPort();
  host = await startHost({
    pluginsDir: plugins,
    admin: { host: '127.0.0.1', port: adminPort },
    server: { publicUrl, trustedProxies: ['127.0.0.1'] },
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
      store: { sqlite: path.join(work, 'auth.db') },
    },
  });
  await credentials.register(`${publicUrl}/oauth/callback`);
  nginx = await startNginx({ port: nginxPort, hostPort: host.port, certFile: cert.certFile, keyFile: cert.keyFile });
});

after(async () => {
  await nginx?.stop();
  await host?.stop();
  await idp?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function diagnostics() {
  return `${host?.logs() ?? ''}\n${nginx ? await nginx.logs() : ''}`;
}

/** Records the URL and status of every request the SDK client makes (all of them to nginx). */
function recordingFetch(log) {
  return async (input, init) => {
    const response = await fetch(input, init);
    log.push({ method: init?.method ?? 'GET', url: String(input instanceof Request ? input.url : input), status: response.status });
    return response;
  };
}

test('the SDK client signs in, calls a tool and hears its GET stream through nginx under /tools', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  assert.equal(host.url, `${publicUrl}/mcp`, 'the host names its public MCP URL');
  const mcpUrl = new URL(host.url);
  const log = [];
  const provider = new TestOAuthProvider({
    redirectUrl: await loopbackRedirectUri(),
    clientName: 'mcph-node-e2e-nginx',
    expectedIssuer: publicUrl,
    browser: { consent: 'approve' },
  });
  const first = new Client({ name: 'mcph-node-e2e-nginx', version: '1.0.0' });
  const firstTransport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider, fetch: recordingFetch(log) });
  await assert.rejects(first.connect(firstTransport), (err) => {
    assert.ok(err instanceof UnauthorizedError, `expected UnauthorizedError, got ${err?.stack ?? err}`);
    return true;
  });
  await first.close();
  let code;
  try {
    code = await provider.waitForAuthorizationCode();
  } catch (err) {
    err.message += `\n${await diagnostics()}`;
    throw err;
  }
  await firstTransport.finishAuth(code);

  // Discovery and the OAuth endpoints were all reached through nginx, under the base path.
  const origin = new URL(publicUrl).origin;
  const reached = (suffix) => log.some((e) => e.url.startsWith(origin + suffix) && e.status === 200);
  assert.ok(reached(`/.well-known/oauth-protected-resource${BASE_PATH}/mcp`), JSON.stringify(log, null, 1));
  assert.ok(reached(`/.well-known/oauth-authorization-server${BASE_PATH}`), JSON.stringify(log, null, 1));
  assert.ok(log.some((e) => e.url === `${publicUrl}/register` && e.status === 201), JSON.stringify(log, null, 1));
  assert.ok(log.some((e) => e.url === `${publicUrl}/token` && e.status === 200), JSON.stringify(log, null, 1));
  assert.ok(log.every((e) => e.url.startsWith(origin)), 'every request of the client went to nginx');
  assert.ok(provider.authorizationUrls[0].href.startsWith(`${publicUrl}/authorize?`), provider.authorizationUrls[0].href);

  const client = new Client({ name: 'mcph-node-e2e-nginx', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider, fetch: recordingFetch(log) });
  try {
    await client.connect(transport);
  } catch (err) {
    err.message += `\n${await diagnostics()}`;
    throw err;
  }
  t.after(() => client.close());

  const who = await client.callTool({ name: 'whoami', arguments: {} });
  assert.ok(!who.isError, JSON.stringify(who));
  assert.equal(who.structuredContent?.authenticated, true, JSON.stringify(who));
  assert.equal(who.structuredContent?.userId, TEST_USER.sub, JSON.stringify(who));
  assert.equal(who.structuredContent?.email, TEST_USER.email, JSON.stringify(who));
  assert.equal(who.structuredContent?.issuer, publicUrl, 'the issuer is the public URL with its path');

  // The session's GET stream is open through nginx: a tool added now is announced on it at once.
  const changed = new Promise((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, resolve));
  await waitForGetStream(log);
  const added = await client.callTool({ name: 'sdk12_add', arguments: { name: 'via_nginx' } });
  assert.ok(!added.isError, JSON.stringify(added));
  await changed;
  const names = (await client.listTools()).tools.map((tool) => tool.name);
  assert.ok(names.includes('via_nginx'), names.join(', '));

  // The sign-in fetched the upstream's keys to check its ID token: counted on the admin listener.
  const metrics = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
  const fetched = /^mcp_host_jwks_fetches_total\{outcome="ok"\} (\d+)/m.exec(metrics);
  assert.ok(fetched && Number(fetched[1]) >= 1, metrics);
});

/** The SDK opens its GET stream after initialization without waiting for it: wait (bounded). */
async function waitForGetStream(log) {
  const deadline = Date.now() + 10_000;
  while (!log.some((e) => e.method === 'GET' && e.url === host.url && e.status === 200)) {
    if (Date.now() > deadline) throw new Error(`the SDK client opened no GET stream: ${JSON.stringify(log, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
