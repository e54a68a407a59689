// The MCP Inspector's CLI (npm @modelcontextprotocol/inspector, pinned in ../package.json; its
// `mcp-inspector --cli` mode), run for real against the host:
//
//   - with no credentials and no terminal: a clear auth failure (exit code 3, auth_required);
//   - with `--header "Authorization: Bearer …"` carrying a token obtained through the real flow
//     (proxy mode, the host's consent page, the upstream): tools/list and tools/call whoami;
//     a token the host does not know: the same clear auth failure;
//   - its own OAuth sign-in, headless (proxy mode and the `local` provider): MCP_AUTO_OPEN_ENABLED
//     lets it sign in without a terminal, its callback listener is on 127.0.0.1 port 0
//     (`--callback-url`), it opens the authorization URL with xdg-open -> $BROWSER ->
//     ./headless-browser.mjs; then a second run with `--stored-auth-only` reuses the stored tokens
//     (no browser, no registration, no /authorize).
//
// The inspector sends no telemetry (its CLI bundle has no analytics code; DO_NOT_TRACK is set
// anyway). It runs on the pinned Node.js 22 (it needs 22.19 or newer), with a temporary HOME: its
// catalog, OAuth state and secrets (MCP_INSPECTOR_SECRET_STORE=file: no OS keychain) stay there.
// Only the CLI path is used: no web UI, no proxy server, no fixed port.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { obtainTokens } from '../oauth/client-provider.mjs';
import { clientHome, describeExchanges, NODE_MODULES, registrations, run, startLocalSetup, startProxySetup } from './support.mjs';

const INSPECTOR = path.join(NODE_MODULES, '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
const TEST_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 60_000;
const EXIT_AUTH_REQUIRED = 3;

function inspectorEnv(home, extra = {}) {
  return { ...home.env, MCP_INSPECTOR_SECRET_STORE: 'file', ...extra };
}

async function inspector(setup, home, args, extraEnv) {
  const result = await run(process.execPath, [INSPECTOR, '--cli', setup.host.url, '--transport', 'http', '--format', 'json', ...args], {
    env: inspectorEnv(home, extraEnv),
    cwd: home.home,
    timeoutMs: RUN_TIMEOUT_MS,
  });
  result.describe = () =>
    `mcp-inspector --cli ${args.join(' ')} -> exit ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
  return result;
}

function parseJson(result) {
  try {
    return JSON.parse(result.stdout);
  } catch {
    assert.fail(`stdout is not one JSON object:\n${result.describe()}`);
  }
}

/** The structuredContent of a tools/call whoami result printed by the CLI. */
function whoamiOf(result) {
  assert.equal(result.code, 0, result.describe());
  const out = parseJson(result);
  const callResult = out.structuredContent ? out : (out.result ?? out);
  assert.ok(!callResult.isError, `whoami is an error:\n${result.describe()}`);
  assert.equal(typeof callResult.structuredContent, 'object', `no structuredContent:\n${result.describe()}`);
  return callResult.structuredContent;
}

function toolNames(result) {
  assert.equal(result.code, 0, result.describe());
  const out = parseJson(result);
  const tools = out.tools ?? out.result?.tools;
  assert.ok(Array.isArray(tools), `no tools in the output:\n${result.describe()}`);
  return tools.map((t) => t.name);
}

function assertAuthFailure(result) {
  assert.equal(result.code, EXIT_AUTH_REQUIRED, `expected exit ${EXIT_AUTH_REQUIRED} (auth required):\n${result.describe()}`);
  assert.match(result.stderr, /auth/i, result.describe());
}

describe('MCP Inspector CLI against the host (proxy mode, oidc-provider upstream)', () => {
  let setup;
  let home;
  before(async () => {
    setup = await startProxySetup();
    home = await clientHome();
  });
  after(async () => {
    await setup?.stop();
    await home?.cleanup();
  });

  test('no credentials, no terminal: a clear auth failure', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const result = await inspector(setup, home, ['--method', 'tools/list']);
    t.diagnostic(result.describe());
    assertAuthFailure(result);
    assert.equal((await home.visits()).length, 0, 'the inspector opened a browser without a terminal');
  });

  test('--header "Authorization: Bearer <token from the real flow>": tools/list and whoami', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { tokens, clientInformation } = await obtainTokens({
      issuer: setup.host.origin,
      resource: setup.host.url,
      clientName: 'mcph-real-client-e2e (token for the inspector)',
      browser: { consent: 'approve' },
    });
    const header = ['--header', `Authorization: Bearer ${tokens.access_token}`];
    const list = await inspector(setup, home, [...header, '--method', 'tools/list']);
    assert.ok(toolNames(list).includes('whoami'), list.describe());
    const call = await inspector(setup, home, [...header, '--method', 'tools/call', '--tool-name', 'whoami']);
    const who = whoamiOf(call);
    t.diagnostic(`whoami: ${JSON.stringify(who)}`);
    assert.equal(who.userId, setup.user.sub, JSON.stringify(who));
    assert.equal(who.email, setup.user.email, JSON.stringify(who));
    assert.equal(who.clientId, clientInformation.client_id, JSON.stringify(who));
    assert.equal(who.issuer, setup.host.origin, JSON.stringify(who));

    const bogus = await inspector(setup, home, ['--header', 'Authorization: Bearer not-a-token-the-host-issued', '--method', 'tools/list']);
    t.diagnostic(bogus.describe());
    assertAuthFailure(bogus);
  });
});

for (const kind of ['proxy', 'local']) {
  describe(`MCP Inspector CLI signs in by itself, headless (${kind === 'proxy' ? 'proxy mode' : '`local` provider'})`, () => {
    let setup;
    let home;
    let clientId;
    before(async () => {
      setup = kind === 'proxy' ? await startProxySetup() : await startLocalSetup();
      home = await clientHome({ signIn: kind === 'local' ? setup.user : undefined });
    });
    after(async () => {
      await setup?.stop();
      await home?.cleanup();
    });

    test('first run: registration, the browser signs in and approves, whoami is the user', { timeout: TEST_TIMEOUT_MS }, async (t) => {
      // `localhost` here; the inspector's default 127.0.0.1 has its own test below.
      const call = await inspector(
        setup,
        home,
        ['--callback-url', 'http://localhost:0/oauth/callback', '--method', 'tools/call', '--tool-name', 'whoami'],
        { MCP_AUTO_OPEN_ENABLED: 'true' },
      );
      const visits = await home.visits();
      const context = () => `${call.describe()}\n--- browser ---\n${JSON.stringify(visits, null, 2)}\n--- front door ---\n${describeExchanges(setup.front.exchanges())}\n${setup.host.logs()}`;
      assert.equal(call.code, 0, context());
      assert.equal(visits.length, 1, context());
      assert.equal(visits[0].error, undefined, context());
      const regs = registrations(setup.front);
      assert.equal(regs.length, 1, context());
      assert.equal(regs[0].status, 201, context());
      clientId = JSON.parse(regs[0].responseBody).client_id;
      t.diagnostic(`the inspector's registration request, as the host received it:\n${regs[0].requestBody}`);
      t.diagnostic(`the host's answer (201):\n${regs[0].responseBody}`);
      t.diagnostic(`the inspector's authorization request:\n${visits[0].authorizationUrl}`);
      const token = setup.front.exchanges().filter((e) => e.method === 'POST' && e.url === '/token');
      t.diagnostic(`its token request(s):\n${token.map((e) => e.requestBody.replace(/(code|code_verifier|refresh_token)=[^&]+/g, '$1=…')).join('\n')}`);
      const who = whoamiOf(call);
      t.diagnostic(`whoami: ${JSON.stringify(who)}`);
      assert.equal(who.email, setup.user.email, JSON.stringify(who));
      assert.equal(who.name, setup.user.name, JSON.stringify(who));
      assert.equal(who.clientId, clientId, JSON.stringify(who));
      assert.equal(who.issuer, setup.host.origin, JSON.stringify(who));
    });

    // The inspector's default callback is http://127.0.0.1:6276/oauth/callback (here port 0): the
    // same host and path as the host's own callback when the host is on http://127.0.0.1:<port>
    // (as with etc/local.json), but another port, so another server: it must register.
    test(
      "the inspector's default callback host (127.0.0.1, path /oauth/callback) is accepted at /register",
      { timeout: TEST_TIMEOUT_MS },
      async (t) => {
        const other = await clientHome({ signIn: kind === 'local' ? setup.user : undefined });
        try {
          const before = setup.front.exchanges().length;
          const call = await inspector(
            setup,
            other,
            ['--callback-url', 'http://127.0.0.1:0/oauth/callback', '--method', 'tools/call', '--tool-name', 'whoami'],
            { MCP_AUTO_OPEN_ENABLED: 'true' },
          );
          const regs = registrations({ exchanges: () => setup.front.exchanges().slice(before) });
          t.diagnostic(`registration:\n${describeExchanges(regs)}`);
          assert.equal(call.code, 0, `${call.describe()}\n${describeExchanges(regs)}`);
          assert.equal(whoamiOf(call).email, setup.user.email);
        } finally {
          await other.cleanup();
        }
      },
    );

    test('second run with --stored-auth-only: the stored tokens are reused', { timeout: TEST_TIMEOUT_MS }, async (t) => {
      assert.ok(clientId, 'the first run did not complete');
      const before = setup.front.exchanges().length;
      const call = await inspector(setup, home, ['--stored-auth-only', '--method', 'tools/call', '--tool-name', 'whoami']);
      const during = setup.front.exchanges().slice(before);
      t.diagnostic(`the second run's requests:\n${describeExchanges(during.map((e) => ({ ...e, responseBody: '' })))}`);
      const who = whoamiOf(call);
      assert.equal(who.email, setup.user.email, JSON.stringify(who));
      assert.equal(who.clientId, clientId, JSON.stringify(who));
      assert.equal((await home.visits()).length, 1, 'the second run opened the browser');
      assert.equal(during.filter((e) => e.url.startsWith('/register') || e.url.startsWith('/authorize')).length, 0, describeExchanges(during));
    });
  });
}
