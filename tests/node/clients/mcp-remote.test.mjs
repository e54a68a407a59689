// mcp-remote (npm, pinned in ../package.json), run for real: the stdio <-> Streamable HTTP proxy
// that stdio-only MCP clients (Claude Desktop's config, Cursor, Windsurf) put in front of a remote
// server. This test is the stdio client: it speaks newline-delimited JSON-RPC on mcp-remote's
// stdin/stdout (initialize, tools/list, tools/call whoami) while mcp-remote connects to the host,
// gets 401, discovers, registers, opens the browser (xdg-open -> $BROWSER -> ./headless-browser.mjs,
// which approves the host's consent page, signs in, and loads mcp-remote's loopback callback),
// exchanges the code and proxies the calls. Twice per sign-in setup: the second run must reuse the
// tokens mcp-remote stored (no browser, no registration, no /authorize).
//
// Setups: proxy mode in front of the oidc-provider upstream, and the `local` provider. The host
// sits behind a recording front door (./support.mjs), whose record of mcp-remote's requests
// (registration body included) is printed as test diagnostics.
//
// mcp-remote keeps its state in MCP_REMOTE_CONFIG_DIR (here a temporary HOME per setup), listens
// for the callback on 127.0.0.1 (a free port given on its command line, as a user pins one), and
// sends nothing beyond the server URL it is given.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { unusedLoopbackPort } from '../oauth/client-provider.mjs';
import {
  clientHome,
  describeExchanges,
  NODE_MODULES,
  registrations,
  run,
  startLocalSetup,
  startProxySetup,
  startStdioPeer,
} from './support.mjs';

const MCP_REMOTE = path.join(NODE_MODULES, 'mcp-remote', 'dist', 'proxy.js');
/** mcp-remote-client, the package's second binary: connects, lists tools and resources, exits. */
const MCP_REMOTE_CLIENT = path.join(NODE_MODULES, 'mcp-remote', 'dist', 'client.js');
const TEST_TIMEOUT_MS = 120_000;
/** The first request waits for the whole sign-in (mcp-remote's own callback wait is 30 s). */
const SIGN_IN_TIMEOUT_MS = 60_000;

const INITIALIZE = {
  protocolVersion: '2025-06-18',
  capabilities: {},
  clientInfo: { name: 'mcph-real-client-e2e', version: '1.0.0' },
};

/** `work`, or the error of a browser visit that failed while it was pending. */
async function untilBrowserFails(home, work) {
  let settled = false;
  const watch = (async () => {
    while (!settled) {
      const failed = (await home.visits()).find((v) => v.error);
      if (failed) throw new Error(`the headless browser failed: ${failed.error}\n${JSON.stringify(failed.steps)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    return await Promise.race([work, watch]);
  } finally {
    settled = true;
    await watch.catch(() => {});
  }
}

/** Runs one mcp-remote session: initialize, tools/list, whoami. Returns what it saw. */
async function session(setup, home, callbackPort, diagnostic) {
  const peer = startStdioPeer(process.execPath, [MCP_REMOTE, setup.host.url, String(callbackPort), '--auth-timeout', '45'], {
    env: { ...home.env, MCP_REMOTE_CONFIG_DIR: path.join(home.home, '.mcp-auth') },
    cwd: home.home,
  });
  try {
    // The first answer waits for the sign-in; a browser that fails ends the wait at once.
    const init = await untilBrowserFails(home, peer.request('initialize', INITIALIZE, SIGN_IN_TIMEOUT_MS));
    assert.equal(init.error, undefined, `initialize failed: ${JSON.stringify(init)}\n${peer.stderr()}\n${setup.host.logs()}`);
    assert.ok(init.result.serverInfo?.name, `no serverInfo: ${JSON.stringify(init)}`);
    peer.notify('notifications/initialized');
    const list = await peer.request('tools/list', {});
    assert.equal(list.error, undefined, `tools/list failed: ${JSON.stringify(list)}`);
    const names = list.result.tools.map((tool) => tool.name);
    assert.ok(names.includes('whoami'), `whoami is not listed: ${names.join(', ')}`);
    const call = await peer.request('tools/call', { name: 'whoami', arguments: {} });
    assert.equal(call.error, undefined, `tools/call whoami failed: ${JSON.stringify(call)}`);
    assert.ok(!call.result.isError, `whoami is an error: ${JSON.stringify(call.result)}`);
    return { init: init.result, who: call.result.structuredContent, stderr: peer.stderr() };
  } catch (err) {
    err.message += `\n--- mcp-remote stderr ---\n${peer.stderr()}\n--- front door ---\n${describeExchanges(setup.front.exchanges())}\n${setup.host.logs()}`;
    throw err;
  } finally {
    await peer.stop();
    diagnostic?.(`mcp-remote stderr (last lines):\n${peer.stderr().split('\n').slice(-15).join('\n')}`);
  }
}

for (const kind of ['proxy', 'local']) {
  describe(`mcp-remote against the host (${kind === 'proxy' ? 'proxy mode, oidc-provider upstream' : '`local` provider'})`, () => {
    let setup;
    let home;
    let callbackPort;
    let firstRegistration;

    before(async () => {
      setup = kind === 'proxy' ? await startProxySetup() : await startLocalSetup();
      home = await clientHome({ signIn: kind === 'local' ? setup.user : undefined });
      callbackPort = await unusedLoopbackPort();
    });
    after(async () => {
      await setup?.stop();
      await home?.cleanup();
    });

    test('first run: 401, registration, the browser signs in and approves, whoami is the user', { timeout: TEST_TIMEOUT_MS }, async (t) => {
      const { who } = await session(setup, home, callbackPort, (m) => t.diagnostic(m));

      const visits = await home.visits();
      assert.equal(visits.length, 1, `expected one browser visit, got ${JSON.stringify(visits, null, 2)}`);
      assert.equal(visits[0].error, undefined, `the browser failed: ${visits[0].error}`);
      assert.equal(visits[0].callback.status, 200, JSON.stringify(visits[0]));
      const authorizeUrl = new URL(visits[0].authorizationUrl);
      assert.equal(authorizeUrl.origin + authorizeUrl.pathname, `${setup.host.origin}/authorize`);
      assert.equal(authorizeUrl.searchParams.get('code_challenge_method'), 'S256');
      assert.equal(visits[0].redirectUri, `http://localhost:${callbackPort}/oauth/callback`);

      const regs = registrations(setup.front);
      assert.equal(regs.length, 1, `expected one registration:\n${describeExchanges(regs)}`);
      assert.equal(regs[0].status, 201, describeExchanges(regs));
      firstRegistration = JSON.parse(regs[0].responseBody);
      t.diagnostic(`mcp-remote's registration request, as the host received it:\n${regs[0].requestBody}`);
      t.diagnostic(`the host's answer (201):\n${regs[0].responseBody}`);
      t.diagnostic(`mcp-remote's authorization request:\n${visits[0].authorizationUrl}`);
      t.diagnostic(`the browser's path: ${visits[0].steps.map((s) => `${s.method} ${s.url.split('?')[0]} ${s.status}`).join(' -> ')}`);
      const token = setup.front.exchanges().filter((e) => e.method === 'POST' && e.url === '/token');
      t.diagnostic(`mcp-remote's token request(s):\n${token.map((e) => e.requestBody.replace(/(code|code_verifier|refresh_token)=[^&]+/g, '$1=…')).join('\n')}`);

      assert.equal(who.authenticated, true, JSON.stringify(who));
      assert.equal(who.email, setup.user.email, JSON.stringify(who));
      assert.equal(who.name, setup.user.name, JSON.stringify(who));
      if (setup.user.sub) assert.equal(who.userId, setup.user.sub, JSON.stringify(who));
      assert.equal(who.issuer, setup.host.origin, JSON.stringify(who));
      assert.equal(who.clientId, firstRegistration.client_id, JSON.stringify(who));
      t.diagnostic(`whoami: ${JSON.stringify(who)}`);

      // What mcp-remote keeps: its tokens and registration under MCP_REMOTE_CONFIG_DIR only.
      const stored = await readdir(path.join(home.home, '.mcp-auth', 'mcp-remote-v1'));
      assert.ok(stored.some((f) => f.endsWith('_tokens.json')), `no stored tokens: ${stored.join(', ')}`);
    });

    test('second run: the stored tokens are reused (no browser, no registration, no /authorize)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
      assert.ok(firstRegistration, 'the first run did not complete');
      const before = setup.front.exchanges().length;
      const { who } = await session(setup, home, callbackPort, (m) => t.diagnostic(m));
      const during = setup.front.exchanges().slice(before);
      t.diagnostic(`the second run's requests:\n${describeExchanges(during.map((e) => ({ ...e, responseBody: '' })))}`);
      assert.equal((await home.visits()).length, 1, 'the second run opened the browser');
      assert.equal(during.filter((e) => e.url.startsWith('/register')).length, 0, 'the second run registered again');
      assert.equal(during.filter((e) => e.url.startsWith('/authorize')).length, 0, 'the second run asked for authorization');
      assert.equal(who.email, setup.user.email, JSON.stringify(who));
      assert.equal(who.clientId, firstRegistration.client_id, JSON.stringify(who));
    });

    test('mcp-remote-client (same package): signs in on its own, lists tools and resources, exits 0', { timeout: TEST_TIMEOUT_MS }, async (t) => {
      const own = await clientHome({ signIn: kind === 'local' ? setup.user : undefined });
      try {
        const before = setup.front.exchanges().length;
        const result = await run(process.execPath, [MCP_REMOTE_CLIENT, setup.host.url, String(await unusedLoopbackPort()), '--auth-timeout', '45'], {
          env: { ...own.env, MCP_REMOTE_CONFIG_DIR: path.join(own.home, '.mcp-auth') },
          cwd: own.home,
          timeoutMs: SIGN_IN_TIMEOUT_MS,
          keepStdinOpen: true,
        });
        const during = setup.front.exchanges().slice(before);
        const visits = await own.visits();
        const context = `exit ${result.code}\n--- stderr ---\n${result.stderr}\n--- browser ---\n${JSON.stringify(visits, null, 2)}\n--- front door ---\n${describeExchanges(during)}`;
        assert.equal(result.code, 0, context);
        assert.equal(visits.length, 1, context);
        assert.match(result.stderr, /Exiting OK/, context);
        assert.match(result.stderr, /"name": "whoami"/, context);
        assert.doesNotMatch(result.stderr, /Error requesting/, context);
        const regs = registrations({ exchanges: () => during });
        assert.equal(regs.length, 1, context);
        assert.equal(regs[0].status, 201, context);
        t.diagnostic(`mcp-remote-client's registration request:\n${regs[0].requestBody}`);
      } finally {
        await own.cleanup();
      }
    });

    // `--host 127.0.0.1` (mcp-remote's default on Windows) makes its redirect URI
    // http://127.0.0.1:<port>/oauth/callback: the host's own callback path on the host's own
    // address, but another port (see inspector-cli.test.mjs).
    test(
      'mcp-remote-client --host 127.0.0.1 (its Windows default) can register',
      { timeout: TEST_TIMEOUT_MS },
      async (t) => {
        const own = await clientHome({ signIn: kind === 'local' ? setup.user : undefined });
        try {
          const before = setup.front.exchanges().length;
          const args = [MCP_REMOTE_CLIENT, setup.host.url, String(await unusedLoopbackPort()), '--host', '127.0.0.1', '--auth-timeout', '45'];
          const result = await run(process.execPath, args, {
            env: { ...own.env, MCP_REMOTE_CONFIG_DIR: path.join(own.home, '.mcp-auth') },
            cwd: own.home,
            timeoutMs: SIGN_IN_TIMEOUT_MS,
            keepStdinOpen: true,
          });
          const regs = registrations({ exchanges: () => setup.front.exchanges().slice(before) });
          t.diagnostic(`registration:\n${describeExchanges(regs)}`);
          assert.equal(result.code, 0, `exit ${result.code}\n${result.stderr.split('\n').slice(-12).join('\n')}\n${describeExchanges(regs)}`);
          assert.match(result.stderr, /Exiting OK/);
        } finally {
          await own.cleanup();
        }
      },
    );
  });
}
