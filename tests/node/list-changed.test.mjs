// End-to-end: the official MCP TypeScript SDK client hears of tools that a plugin adds and
// removes at run time (ABI 1.2 add_tool / remove_tool, plugin sdk12): the host announces
// listChanged, sends notifications/tools/list_changed on the session's GET stream, and the next
// tools/list shows the change.
//
//   MCPH_SDK12_PLUGINS_DIR=build/sdk12-plugins node --test --test-reporter=spec tests/node/list-changed.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

import { startHost } from './lib/host.mjs';

const TEST_TIMEOUT_MS = 30_000;
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pluginsDir = process.env.MCPH_SDK12_PLUGINS_DIR || path.join(REPO_ROOT, 'build', 'sdk12-plugins');

let host;
before(async () => {
  host = await startHost({ pluginsDir });
});
after(async () => {
  await host?.stop();
});

/** Resolves with the next notification the handler gets (bounded by the test's timeout). */
function nextListChanged(client) {
  return new Promise((resolve) => {
    client.setNotificationHandler(ToolListChangedNotificationSchema, (notification) => resolve(notification));
  });
}

async function toolNames(client) {
  return (await client.listTools()).tools.map((t) => t.name);
}

test('tools added and removed at run time reach the SDK client', { timeout: TEST_TIMEOUT_MS }, async () => {
  const client = new Client({ name: 'mcph-list-changed', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(host.url));
  await client.connect(transport);
  try {
    assert.equal(client.getServerCapabilities()?.tools?.listChanged, true);
    assert.ok(!(await toolNames(client)).includes('sdk_dyn'));

    let changed = nextListChanged(client);
    const added = await client.callTool({ name: 'sdk12_add', arguments: { name: 'sdk_dyn' } });
    assert.equal(added.structuredContent.status, 0, JSON.stringify(added));
    await changed;
    assert.ok((await toolNames(client)).includes('sdk_dyn'));
    const called = await client.callTool({ name: 'sdk_dyn', arguments: {} });
    assert.equal(called.content[0].text, 'dynamic sdk_dyn');

    changed = nextListChanged(client);
    const removed = await client.callTool({ name: 'sdk12_remove', arguments: { name: 'sdk_dyn' } });
    assert.equal(removed.structuredContent.status, 0, JSON.stringify(removed));
    await changed;
    assert.ok(!(await toolNames(client)).includes('sdk_dyn'));
  } finally {
    await client.close();
  }
});
