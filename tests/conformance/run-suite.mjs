// Runs one release of the official MCP conformance suite against a real mcp-host serving the
// conformance plugin, and exits with the suite's own exit code (non-zero on any failed check).
//
//   node run-suite.mjs <conformance-0.1|conformance-0.2> <suite arguments...>
//
// The host binds 127.0.0.1 port 0; we read the URL from its "listening on" line (no fixed
// sleeps). MCPH_HOST_BIN and MCPH_CONFORMANCE_PLUGINS_DIR come from CTest.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [release, ...suiteArgs] = process.argv.slice(2);
const cli = path.join(here, 'node_modules', release ?? '', 'dist', 'index.js');
if (!release || !existsSync(cli)) {
  console.error(`conformance suite "${release}" not installed: run scripts/setup.sh (npm ci in tests/conformance)`);
  process.exit(2);
}
const bin = process.env.MCPH_HOST_BIN;
const pluginsDir = process.env.MCPH_CONFORMANCE_PLUGINS_DIR;
if (!bin || !existsSync(bin) || !pluginsDir || !existsSync(pluginsDir)) {
  console.error('set MCPH_HOST_BIN and MCPH_CONFORMANCE_PLUGINS_DIR (CTest does)');
  process.exit(2);
}

const dir = await mkdtemp(path.join(tmpdir(), 'mcph-conformance-'));
const config = path.join(dir, 'config.json');
await writeFile(config, JSON.stringify({
  server: { host: '127.0.0.1', port: 0 },
  plugins: { dir: path.resolve(pluginsDir) },
  logging: { level: 'warning' },
}));
const host = spawn(bin, ['--config', config], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
const hostExit = new Promise((resolve) => host.once('exit', (code, signal) => resolve({ code, signal })));

const url = await new Promise((resolve, reject) => {
  const lines = createInterface({ input: host.stdout });
  lines.on('line', (line) => {
    const m = /^mcp-host listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)\s*$/.exec(line);
    if (m) resolve(m[1]);
  });
  hostExit.then(({ code, signal }) => reject(new Error(`mcp-host exited before listening (${code ?? signal})`)));
});

// The suite runs with the same (pinned) Node, telemetry off, results in the temporary dir.
const suite = spawn(process.execPath, [cli, 'server', '--url', url, '--output-dir', path.join(dir, 'results'), ...suiteArgs], {
  cwd: dir,
  stdio: 'inherit',
  env: { ...process.env, DO_NOT_TRACK: '1' },
});
const code = await new Promise((resolve) => suite.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));

host.kill('SIGTERM');
const stopped = await hostExit;
await rm(dir, { recursive: true, force: true });
if (stopped.code !== 0 && stopped.signal !== 'SIGTERM') {
  console.error(`mcp-host did not stop cleanly: ${stopped.code ?? stopped.signal}`);
  process.exit(1);
}
process.exit(code);
