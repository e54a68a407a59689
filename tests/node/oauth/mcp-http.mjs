// Raw HTTP helpers for the OAuth end-to-end tests: what the SDK client hides (status codes,
// challenges, token endpoint answers), spoken directly with fetch. Every request is bounded by
// HTTP_TIMEOUT_MS.
import assert from 'node:assert/strict';

import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';

export const HTTP_TIMEOUT_MS = 10_000;

/** Parses `Bearer a="b", c="d"` (RFC 7235 auth-params, quoted or token values). */
export function parseBearerChallenge(header) {
  assert.ok(header, 'no WWW-Authenticate header');
  const m = /^\s*Bearer(?:\s+(.*))?$/is.exec(header);
  assert.ok(m, `WWW-Authenticate is not a Bearer challenge: ${header}`);
  const params = {};
  const re = /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/gy;
  const rest = m[1] ?? '';
  let match;
  while (re.lastIndex < rest.length && (match = re.exec(rest))) {
    params[match[1].toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
  }
  assert.equal(re.lastIndex, rest.length, `cannot parse WWW-Authenticate: ${header}`);
  return params;
}

export function mcpHeaders({ token, sessionId, accept = 'application/json, text/event-stream' } = {}) {
  const headers = { 'content-type': 'application/json', accept };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (sessionId) {
    headers['mcp-session-id'] = sessionId;
    headers['mcp-protocol-version'] = LATEST_PROTOCOL_VERSION;
  }
  return headers;
}

export async function mcpPost(url, body, opts) {
  return fetch(url, {
    method: 'POST',
    headers: mcpHeaders(opts),
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
}

/** The JSON-RPC response with `id` from a JSON or SSE response body. */
export async function jsonRpcResponse(response, id) {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('text/event-stream')) return response.json();
  const text = await response.text();
  for (const event of text.split(/\r?\n\r?\n/)) {
    const data = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
      .join('\n');
    if (!data) continue;
    const message = JSON.parse(data);
    if (message.id === id) return message;
  }
  assert.fail(`no JSON-RPC response with id ${id} in the SSE body: ${text}`);
}

export function initializeRequest(id = 1) {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: {
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'mcph-node-e2e-oauth-raw', version: '1.0.0' },
    },
  };
}

/**
 * With `token`: initialize, initialized, tools/call `name`, DELETE. Returns the tool result.
 * Fails (with the host's logs) if any step is not answered as a valid token deserves.
 */
export async function callToolRaw(host, token, name = 'whoami', args = {}) {
  const init = await mcpPost(host.url, initializeRequest(1), { token });
  if (init.status !== 200) {
    assert.fail(
      `initialize with a valid token: HTTP ${init.status} ${init.headers.get('www-authenticate') ?? ''} ` +
        `${await init.text()}\n${host.logs()}`,
    );
  }
  const sessionId = init.headers.get('mcp-session-id');
  await jsonRpcResponse(init, 1);
  try {
    const initialized = await mcpPost(host.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, { token, sessionId });
    await initialized.body?.cancel();
    assert.equal(initialized.status, 202, 'notifications/initialized');
    const res = await mcpPost(
      host.url,
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: args } },
      { token, sessionId },
    );
    assert.equal(res.status, 200, `tools/call ${name}: HTTP ${res.status} ${res.headers.get('www-authenticate') ?? ''}`);
    const message = await jsonRpcResponse(res, 2);
    assert.ok(message.result, `tools/call ${name}: ${JSON.stringify(message)}`);
    return message.result;
  } finally {
    if (sessionId) {
      await fetch(host.url, {
        method: 'DELETE',
        headers: mcpHeaders({ token, sessionId }),
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      })
        .then((r) => r.body?.cancel())
        .catch(() => {});
    }
  }
}

/**
 * Sends initialize with `token` (undefined: no Authorization header) and asserts the host refuses
 * it with 401 and a Bearer challenge; returns the challenge's parameters.
 */
export async function expectUnauthorized(host, token, what, { url = host.url } = {}) {
  const res = await mcpPost(url, initializeRequest(1), { token });
  const body = await res.text();
  assert.equal(res.status, 401, `${what}: expected HTTP 401, got ${res.status} ${body}\n${host.logs()}`);
  const challenge = parseBearerChallenge(res.headers.get('www-authenticate'));
  assert.ok(challenge.resource_metadata, `${what}: no resource_metadata in the challenge`);
  return challenge;
}

/** Polls `check` (true: done) every `intervalMs` until `deadlineMs` from now; fails with `message`. */
export async function pollUntil(check, { deadlineMs, intervalMs = 200, message }) {
  const end = Date.now() + deadlineMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) assert.fail(message());
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * POSTs an application/x-www-form-urlencoded body (an OAuth endpoint request) and returns
 * {status, headers, json (undefined when the body is not JSON), text}.
 */
export async function postForm(url, params, { headers = {} } = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
    body: new URLSearchParams(params).toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
