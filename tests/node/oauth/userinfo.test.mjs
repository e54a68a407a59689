// End-to-end: identity enrichment in native mode. The authorization server (oidc-provider,
// ./authorization-server.mjs) issues access tokens that carry only `sub` (no email, no name, as
// WorkOS AuthKit's default tokens); mcp-host asks the issuer's userinfo endpoint (found through
// OIDC discovery) once per subject, caches the answer, and hands whoami the email, name and
// picture. Counted at the authorization server: a second call makes no second request. A failing
// userinfo endpoint leaves the fields empty without failing the call, and the log says why
// without the token; `auth.userinfo: false` asks nothing.
//
//   node --import ./tests/node/lib/check-deps.mjs --import ./tests/node/oauth/check-runtime.mjs \
//     --test --test-reporter=spec tests/node/oauth/userinfo.test.mjs
import assert from 'node:assert/strict';
import { constants } from 'node:os';
import { after, before, describe, test } from 'node:test';

import { decodeJwt } from 'jose';

import { startHost } from '../lib/host.mjs';
import { startAuthorizationServer, TEST_USER, TEST_USER_PICTURE } from './authorization-server.mjs';
import { obtainTokens } from './client-provider.mjs';
import { callToolRaw } from './mcp-http.mjs';

const TEST_TIMEOUT_MS = 60_000;
const HOST_SCOPES = ['openid', 'email', 'profile'];

// A host still running when this process ends is killed.
const children = new Set();
process.on('exit', () => {
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(128 + constants.signals[signal]));
}

async function startTrackedHost(as, extra = {}) {
  const host = await startHost({
    auth: { provider: 'oidc', issuer: as.issuer, allowInsecureHttp: true, scopes: HOST_SCOPES, ...extra },
  });
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

async function tokenFor(as, host) {
  const { tokens } = await obtainTokens({ issuer: as.issuer, resource: host.url, scope: HOST_SCOPES.join(' ') });
  return tokens.access_token;
}

describe('identity enrichment from the issuer\'s userinfo endpoint', { timeout: TEST_TIMEOUT_MS * 4 }, () => {
  let as;
  before(async () => {
    as = await startAuthorizationServer({ identityInAccessToken: false, userinfoForResourceTokens: true });
  });
  after(async () => {
    await as?.stop();
  });

  test('a token with only sub gets email, name and picture, asked once per subject', { timeout: TEST_TIMEOUT_MS }, async () => {
    const host = await startTrackedHost(as);
    try {
      const token = await tokenFor(as, host);
      const claims = decodeJwt(token);
      assert.equal(claims.sub, TEST_USER.sub);
      assert.equal(claims.email, undefined, 'the access token must not carry the email');
      assert.equal(claims.name, undefined, 'the access token must not carry the name');
      const before = as.userinfoRequests();

      const first = await callToolRaw(host, token);
      assert.ok(!first.isError, JSON.stringify(first));
      assert.equal(first.structuredContent.userId, TEST_USER.sub);
      assert.equal(first.structuredContent.email, TEST_USER.email);
      assert.equal(first.structuredContent.name, TEST_USER.name);
      assert.equal(first.structuredContent.picture, TEST_USER_PICTURE);
      assert.equal(as.userinfoRequests() - before, 1, 'one userinfo request for the first session');

      // Another session (initialize, initialized, tools/call, DELETE), and another token for the
      // same user: the cached answer serves them all.
      const second = await callToolRaw(host, token);
      assert.equal(second.structuredContent.email, TEST_USER.email);
      const again = await callToolRaw(host, await tokenFor(as, host));
      assert.equal(again.structuredContent.name, TEST_USER.name);
      assert.equal(as.userinfoRequests() - before, 1, 'the answer is cached per subject');
      assert.ok(!host.logs().includes(token), 'the token appears in no log line');
    } finally {
      await host.stop();
    }
  });

  test('a failing userinfo endpoint leaves the fields empty and the call succeeds', { timeout: TEST_TIMEOUT_MS }, async () => {
    const host = await startTrackedHost(as);
    as.setUserinfoStatus(500);
    try {
      const token = await tokenFor(as, host);
      const before = as.userinfoRequests();
      const result = await callToolRaw(host, token);
      assert.ok(!result.isError, JSON.stringify(result));
      assert.equal(result.structuredContent.userId, TEST_USER.sub);
      assert.equal(result.structuredContent.email, '');
      assert.equal(result.structuredContent.name, '');
      assert.equal(as.userinfoRequests() - before, 1);
      // The failure is remembered for a while, not asked again on every request.
      await callToolRaw(host, token);
      assert.equal(as.userinfoRequests() - before, 1);
      const logs = host.logs();
      assert.match(logs, /userinfo for subject user-123 at .* failed: HTTP 500/);
      assert.ok(!logs.includes(token), 'the token appears in no log line');
    } finally {
      as.setUserinfoStatus(undefined);
      await host.stop();
    }
  });

  test('auth.userinfo false asks nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const host = await startTrackedHost(as, { userinfo: false });
    try {
      const token = await tokenFor(as, host);
      const before = as.userinfoRequests();
      const result = await callToolRaw(host, token);
      assert.equal(result.structuredContent.email, '');
      assert.equal(as.userinfoRequests(), before);
    } finally {
      await host.stop();
    }
  });
});
