// End-to-end: the official MCP TypeScript SDK client against a real mcp-host process.
//
//   node --test --test-reporter=spec tests/node/client.test.mjs
//
// MCPH_HOST_BIN and MCPH_PLUGINS_DIR name the binary and plugin directory (CTest sets both;
// without them build/bin/mcp-host and build/plugins are used). One host serves the whole file;
// every test opens its own sessions. Only 127.0.0.1 is contacted.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, LATEST_PROTOCOL_VERSION, McpError } from '@modelcontextprotocol/sdk/types.js';

import { startHost } from './lib/host.mjs';

const TEST_TIMEOUT_MS = 20_000;
const HTTP_TIMEOUT_MS = 10_000;
const MAX_LIST_PAGES = 50;

/** Text that a careless JSON or HTTP layer would mangle. */
const TRICKY_TEXT =
  'héllo "wörld" — \'single\' `back` \\ backslash \\" \\u0041 ' +
  '日本語 Ελληνικά 🚀👩‍💻 \u00a0nbsp\ttab\nnewline\r\n<tag>&amp; {"json":[1,2]} \u2028\u2029 end';

let host;

before(async () => {
  host = await startHost();
});

after(async () => {
  await host?.stop();
});

/** Connects a fresh SDK client (initialize + notifications/initialized). */
async function connect(t, { fetch: fetchFn, server = host } = {}) {
  const transport = new StreamableHTTPClientTransport(new URL(server.url), fetchFn ? { fetch: fetchFn } : {});
  const client = new Client({ name: 'mcph-node-e2e', version: '1.0.0' });
  try {
    await client.connect(transport);
  } catch (err) {
    err.message += `\n${server.logs()}`;
    throw err;
  }
  t.after(() => client.close());
  return { client, transport };
}

async function listAllTools(client) {
  const tools = [];
  let cursor;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const res = await client.listTools(cursor === undefined ? {} : { cursor });
    tools.push(...res.tools);
    cursor = res.nextCursor;
    if (cursor === undefined) return tools;
  }
  assert.fail(`tools/list still had a nextCursor after ${MAX_LIST_PAGES} pages`);
}

function textOf(result) {
  assert.ok(Array.isArray(result.content), `content is not an array: ${JSON.stringify(result)}`);
  assert.equal(result.content.length, 1, `expected one content block: ${JSON.stringify(result)}`);
  assert.equal(result.content[0].type, 'text');
  return result.content[0].text;
}

// ---- raw HTTP (for what the SDK client hides) ----

function rawHeaders({ sessionId, accept = 'application/json, text/event-stream' } = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: accept };
  if (sessionId) {
    headers['Mcp-Session-Id'] = sessionId;
    headers['MCP-Protocol-Version'] = LATEST_PROTOCOL_VERSION;
  }
  return headers;
}

async function rawPost(body, opts) {
  return fetch(host.url, {
    method: 'POST',
    headers: rawHeaders(opts),
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
}

/**
 * Reads an SSE body event by event until an event's data is the JSON-RPC response with `id`.
 * Follows the SSE rules: events end at a blank line, "data:" lines of one event are joined
 * with "\n", one optional space after the colon is dropped, comments and other fields ignored.
 */
async function readSseResponse(response, id) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let data = [];
  const seen = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let nl;
      while ((nl = buffer.search(/\r\n|\r|\n/)) !== -1) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) {
            const payload = data.join('\n');
            seen.push(payload);
            const message = JSON.parse(payload);
            if (message.id === id && ('result' in message || 'error' in message)) return message;
          }
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  assert.fail(`SSE stream ended without the response to id ${id}; events seen: ${JSON.stringify(seen)}`);
}

/** initialize + notifications/initialized over raw fetch; returns the session id. */
async function rawSession() {
  const init = await rawPost({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'mcph-node-e2e-raw', version: '1.0.0' },
    },
  });
  assert.equal(init.status, 200, `initialize: HTTP ${init.status}`);
  const sessionId = init.headers.get('mcp-session-id');
  assert.ok(sessionId, 'initialize answered without Mcp-Session-Id');
  const type = init.headers.get('content-type') ?? '';
  const message = type.startsWith('text/event-stream') ? await readSseResponse(init, 1) : await init.json();
  assert.equal(message.result?.protocolVersion, LATEST_PROTOCOL_VERSION, JSON.stringify(message));

  const initialized = await rawPost({ jsonrpc: '2.0', method: 'notifications/initialized' }, { sessionId });
  assert.equal(initialized.status, 202);
  await initialized.body?.cancel();
  return sessionId;
}

// ---- tests ----

describe('mcp-host with the official TypeScript SDK client', { timeout: 120_000 }, () => {
  test('initialize: server info, latest protocol version, session id', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { client, transport } = await connect(t);
    assert.equal(client.getServerVersion()?.name, 'mcp-host');
    assert.equal(typeof client.getServerVersion()?.version, 'string');
    assert.equal(transport.protocolVersion, LATEST_PROTOCOL_VERSION);
    assert.ok(client.getServerCapabilities()?.tools, 'server does not declare the tools capability');
    assert.match(transport.sessionId ?? '', /^[\x21-\x7e]+$/, 'session id must be visible ASCII');
  });

  test('tools/list includes echo and whoami with their input schemas', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { client } = await connect(t);
    const tools = await listAllTools(client);
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    for (const name of ['echo', 'whoami', 'notes_add', 'notes_list']) {
      assert.ok(byName.has(name), `tool ${name} missing from ${[...byName.keys()].join(', ')}`);
    }
    const echo = byName.get('echo').inputSchema;
    assert.equal(echo.type, 'object');
    assert.equal(echo.properties?.text?.type, 'string', JSON.stringify(echo));
    assert.ok(echo.required?.includes('text'), `echo must require text: ${JSON.stringify(echo)}`);
    const whoami = byName.get('whoami').inputSchema;
    assert.equal(whoami.type, 'object');
    assert.deepEqual(whoami.required ?? [], [], `whoami takes no arguments: ${JSON.stringify(whoami)}`);
  });

  test('tools/call echo returns the text exactly (unicode, quotes, escapes)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { client } = await connect(t);
    for (const text of [TRICKY_TEXT, '', 'plain ascii']) {
      const result = await client.callTool({ name: 'echo', arguments: { text } });
      assert.ok(!result.isError, `echo failed: ${JSON.stringify(result)}`);
      assert.equal(textOf(result), text);
    }
  });

  test('tools/call whoami without a token is anonymous', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { client } = await connect(t);
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    assert.ok(!result.isError, `whoami failed: ${JSON.stringify(result)}`);
    assert.equal(typeof result.structuredContent, 'object', JSON.stringify(result));
    assert.equal(result.structuredContent.authenticated, false);
    assert.equal(result.structuredContent.userId, 'anonymous');
  });

  test('tools/call of an unknown tool is JSON-RPC error -32602', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { client } = await connect(t);
    await assert.rejects(client.callTool({ name: 'no_such_tool_' + randomUUID(), arguments: {} }), (err) => {
      assert.ok(err instanceof McpError, `expected McpError, got ${err}`);
      assert.equal(err.code, ErrorCode.InvalidParams);
      return true;
    });
    // The session is still usable afterwards.
    assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { text: 'still here' } })), 'still here');
  });

  test('tools/call echo without its required argument is a tool error', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { client } = await connect(t);
    const result = await client.callTool({ name: 'echo', arguments: {} });
    assert.equal(result.isError, true, JSON.stringify(result));
  });

  test('two concurrent clients get distinct sessions and both work', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const [a, b] = await Promise.all([connect(t), connect(t)]);
    assert.ok(a.transport.sessionId && b.transport.sessionId);
    assert.notEqual(a.transport.sessionId, b.transport.sessionId);
    const calls = [];
    for (let i = 0; i < 10; i++) {
      calls.push(a.client.callTool({ name: 'echo', arguments: { text: `a${i}` } }).then((r) => [`a${i}`, r]));
      calls.push(b.client.callTool({ name: 'echo', arguments: { text: `b${i}` } }).then((r) => [`b${i}`, r]));
    }
    for (const [expected, result] of await Promise.all(calls)) {
      assert.equal(textOf(result), expected);
    }
  });

  test('notes: add, list, get, delete', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { client } = await connect(t);
    const marker = `note-${randomUUID()}`;
    const text = `${marker}: ${TRICKY_TEXT}`;
    const added = await client.callTool({ name: 'notes_add', arguments: { text, title: marker } });
    assert.ok(!added.isError, `notes_add failed: ${JSON.stringify(added)}`);
    const { id } = added.structuredContent ?? {};
    assert.ok(Number.isInteger(id) && id > 0, `notes_add returned no id: ${JSON.stringify(added)}`);
    assert.equal(added.structuredContent.title, marker);

    const listed = await client.callTool({ name: 'notes_list', arguments: { query: marker } });
    assert.ok(!listed.isError, `notes_list failed: ${JSON.stringify(listed)}`);
    const found = listed.structuredContent?.notes ?? [];
    assert.deepEqual(found.map((n) => [n.id, n.title]), [[id, marker]], JSON.stringify(listed));

    const got = await client.callTool({ name: 'notes_get', arguments: { id } });
    assert.ok(!got.isError, `notes_get failed: ${JSON.stringify(got)}`);
    assert.equal(got.structuredContent?.text, text);

    const deleted = await client.callTool({ name: 'notes_delete', arguments: { id } });
    assert.ok(!deleted.isError, `notes_delete failed: ${JSON.stringify(deleted)}`);
    assert.equal(deleted.structuredContent?.deleted, true);
    const gone = await client.callTool({ name: 'notes_list', arguments: { query: marker } });
    assert.deepEqual(gone.structuredContent?.notes, [], JSON.stringify(gone));
  });

  test('terminateSession (DELETE) ends the session: the old id then gets 404', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { client, transport } = await connect(t);
    assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { text: 'before' } })), 'before');
    const oldSessionId = transport.sessionId;
    assert.ok(oldSessionId);
    await transport.terminateSession();
    assert.equal(transport.sessionId, undefined);

    const res = await rawPost(
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'after' } } },
      { sessionId: oldSessionId },
    );
    await res.body?.cancel();
    assert.equal(res.status, 404, `request on a terminated session: HTTP ${res.status}`);
  });

  test('raw tools/call with Accept: text/event-stream only is answered as SSE', { timeout: TEST_TIMEOUT_MS }, async () => {
    const sessionId = await rawSession();
    const id = 42;
    const res = await rawPost(
      { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text: TRICKY_TEXT } } },
      { sessionId, accept: 'text/event-stream' },
    );
    assert.equal(res.status, 200, `HTTP ${res.status}: ${res.status === 200 ? '' : await res.text()}`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const message = await readSseResponse(res, id);
    assert.equal(message.jsonrpc, '2.0');
    assert.ok(message.result, `expected a result: ${JSON.stringify(message)}`);
    assert.equal(textOf(message.result), TRICKY_TEXT);
  });

  test('the SDK client works when every POST is answered as SSE', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // The SDK sends "Accept: application/json, text/event-stream" and the host may pick JSON.
    // Asking for SSE alone makes the host stream, so the SDK's own SSE parsing is exercised.
    const sseOnly = (url, init = {}) => {
      if (init.method !== 'POST') return fetch(url, init);
      const headers = new Headers(init.headers);
      headers.set('accept', 'text/event-stream');
      return fetch(url, { ...init, headers });
    };
    const { client } = await connect(t, { fetch: sseOnly });
    assert.equal(client.getServerVersion()?.name, 'mcp-host');
    assert.ok((await listAllTools(client)).some((tool) => tool.name === 'echo'));
    assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { text: TRICKY_TEXT } })), TRICKY_TEXT);
  });
});

describe('notes kept in settings.notes.database survive a host restart', { timeout: 60_000 }, () => {
  let dir;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mcph-node-notes-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('add, restart, get', { timeout: 45_000 }, async (t) => {
    const settings = { notes: { database: path.join(dir, 'notes.db') } };
    const text = `persisted ${randomUUID()} ${TRICKY_TEXT}`;
    let id;
    const first = await startHost({ settings });
    try {
      const { client } = await connect(t, { server: first });
      const added = await client.callTool({ name: 'notes_add', arguments: { text } });
      assert.ok(!added.isError, `notes_add failed: ${JSON.stringify(added)}`);
      id = added.structuredContent?.id;
      await client.close();
    } finally {
      await first.stop();
    }
    const second = await startHost({ settings });
    try {
      const { client } = await connect(t, { server: second });
      const got = await client.callTool({ name: 'notes_get', arguments: { id } });
      assert.ok(!got.isError, `notes_get after restart failed: ${JSON.stringify(got)}`);
      assert.equal(got.structuredContent?.text, text);
      await client.close();
    } finally {
      await second.stop();
    }
  });
});
