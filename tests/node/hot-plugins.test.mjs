// End-to-end: the official MCP TypeScript SDK client hears of plugins added, replaced and
// removed in the host's plugin directory while it runs (plugins.watch, inotify). Its session
// holds a GET stream and gets notifications/tools/list_changed for each change; a call in flight
// while the plugin is replaced finishes with the old version's answer, new calls get the new one.
// The plugin "hot" comes in two builds (tests/abi/plugins/hot.c) that answer "hot v1" / "hot v2".
//
//   MCPH_HOT_PLUGINS_DIR=build/hot-plugins node --test --test-reporter=spec tests/node/hot-plugins.test.mjs
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

import { startHost } from './lib/host.mjs';

const TEST_TIMEOUT_MS = 60_000;
const POLL_MS = 10;
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const builds = process.env.MCPH_HOT_PLUGINS_DIR || path.join(REPO_ROOT, 'build', 'hot-plugins');

let host;
let pluginsDir;
before(async () => {
  pluginsDir = await mkdtemp(path.join(tmpdir(), 'mcph-hot-plugins-'));
  host = await startHost({ pluginsDir });
});
after(async () => {
  await host?.stop();
  if (pluginsDir) await rm(pluginsDir, { recursive: true, force: true });
});

/** As an operator should: copy under a hidden name in the directory, then rename into place. */
async function install(version) {
  const temporary = path.join(pluginsDir, '.hot.so.tmp');
  await copyFile(path.join(builds, `v${version}`, 'hot.so'), temporary);
  await rename(temporary, path.join(pluginsDir, 'hot.so'));
}

/** Resolves with the next tools/list_changed notification (bounded by the test's timeout). */
function nextListChanged(client) {
  return new Promise((resolve) => {
    client.setNotificationHandler(ToolListChangedNotificationSchema, (notification) => resolve(notification));
  });
}

async function toolNames(client) {
  return (await client.listTools()).tools.map((t) => t.name);
}

async function text(client, name, args = {}) {
  return (await client.callTool({ name, arguments: args })).content[0].text;
}

/** Polls `condition` until it holds (bounded by the test's timeout). */
async function eventually(condition) {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
}

test('plugins added, replaced and removed at run time reach the SDK client', { timeout: TEST_TIMEOUT_MS }, async () => {
  const client = new Client({ name: 'mcph-hot-plugins', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(host.url)));
  try {
    assert.equal(client.getServerCapabilities()?.tools?.listChanged, true);
    assert.ok(!(await toolNames(client)).includes('hot_version'));

    // Added.
    let changed = nextListChanged(client);
    await install(1);
    await changed;
    assert.ok((await toolNames(client)).includes('hot_version'));
    assert.equal(await text(client, 'hot_version'), 'hot v1');

    // Replaced while a call is in flight on the old version.
    const release = path.join(pluginsDir, 'release');
    const waiting = text(client, 'hot_wait', { until: release });
    await eventually(async () => {
      const r = await client.callTool({ name: 'hot_in_flight', arguments: {} });
      return r.structuredContent.inFlight === 1;
    });
    changed = nextListChanged(client);
    await install(2);
    await changed;
    assert.equal(await text(client, 'hot_version'), 'hot v2');
    await writeFile(release, 'go');
    assert.equal(await waiting, 'hot v1 waited');
    assert.equal(await text(client, 'hot_wait', { until: release }), 'hot v2 waited');

    // Removed.
    changed = nextListChanged(client);
    await unlink(path.join(pluginsDir, 'hot.so'));
    await changed;
    assert.ok(!(await toolNames(client)).includes('hot_version'));
    const gone = await client.callTool({ name: 'hot_version', arguments: {} }).then(
      (result) => result,
      (error) => error,
    );
    assert.ok(gone instanceof Error || gone.isError, JSON.stringify(gone));
  } finally {
    await client.close();
  }
});
