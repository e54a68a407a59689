// Starts a real mcp-host process for a test and stops it again.
//
// The host is told to bind port 0; we read its stdout line by line until it prints
// "mcp-host listening on http://127.0.0.1:<port>/mcp". No fixed sleeps: the only waits are
// for that line (bounded by readyTimeoutMs) and for the process to exit after SIGTERM
// (bounded by stopTimeoutMs).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// With server.publicUrl the line names the public URL and then the bound port.
const LISTENING_RE = /^mcp-host listening on (http:\/\/127\.0\.0\.1:(\d+)\/mcp|\S+ \(bound to \S+ port (\d+)\))\s*$/;
const MAX_LOG_CHARS = 64 * 1024;

/** Binary and plugin directory: from the environment (CTest sets both), else build/. */
export function hostPaths() {
  const bin = process.env.MCPH_HOST_BIN || path.join(REPO_ROOT, 'build', 'bin', 'mcp-host');
  const pluginsDir = process.env.MCPH_PLUGINS_DIR || path.join(REPO_ROOT, 'build', 'plugins');
  return { bin, pluginsDir };
}

/** Keeps the last MAX_LOG_CHARS characters of a stream so a failure can show them. */
class TailLog {
  constructor() {
    this.text = '';
  }
  push(chunk) {
    this.text += chunk;
    if (this.text.length > MAX_LOG_CHARS) this.text = this.text.slice(-MAX_LOG_CHARS);
  }
}

/**
 * Starts mcp-host with a temporary config.
 * @param {object} [opts]
 * @param {object} [opts.settings]  plugins.settings of the config
 * @param {object} [opts.auth]      auth section (default: {provider: "none"})
 * @param {string} [opts.pluginsDir] plugin directory (default: hostPaths().pluginsDir)
 * @param {object} [opts.server]    more server settings (e.g. publicUrl behind a proxy)
 * @param {object} [opts.admin]     the admin section (e.g. a port for /metrics)
 * @param {object} [opts.redis]     the redis section (state shared by several instances)
 * @param {object} [opts.mcp]       more mcp settings (e.g. requestStateSecret; path defaults to /mcp)
 * @param {number} [opts.readyTimeoutMs]
 * @param {number} [opts.stopTimeoutMs]
 * @returns {Promise<{url: string, port: number, pid: number, logs: () => string, stop: () => Promise<void>}>}
 */
export async function startHost(opts = {}) {
  const { settings = {}, auth = { provider: 'none' }, server = {}, readyTimeoutMs = 20_000, stopTimeoutMs = 10_000 } = opts;
  const { bin } = hostPaths();
  const pluginsDir = opts.pluginsDir ?? hostPaths().pluginsDir;
  if (!existsSync(bin)) {
    throw new Error(`mcp-host binary not found at ${bin}: build it, or set MCPH_HOST_BIN`);
  }
  if (!existsSync(pluginsDir)) {
    throw new Error(`plugin directory not found at ${pluginsDir}: build the plugins, or set MCPH_PLUGINS_DIR`);
  }

  const dir = await mkdtemp(path.join(tmpdir(), 'mcph-node-e2e-'));
  const configPath = path.join(dir, 'config.json');
  const config = {
    server: { host: '127.0.0.1', port: 0, ...server },
    mcp: { path: '/mcp', ...opts.mcp },
    plugins: { dir: path.resolve(pluginsDir), settings },
    auth,
    ...(opts.admin ? { admin: opts.admin } : {}),
    ...(opts.redis ? { redis: opts.redis } : {}),
  };
  await writeFile(configPath, JSON.stringify(config, null, 2));

  const child = spawn(bin, ['--config', configPath], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
  });
  const stdout = new TailLog();
  const stderr = new TailLog();
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => stderr.push(d));

  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let exitInfo = null;
  exited.then((info) => {
    exitInfo = info;
  });
  const logs = () =>
    `--- mcp-host (${bin}, config ${configPath}) stdout ---\n${stdout.text}` +
    `\n--- stderr ---\n${stderr.text}\n--- end ---`;

  const cleanup = async () => {
    await rm(dir, { recursive: true, force: true });
  };

  let url;
  let port;
  try {
    ({ url, port } = await new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
      const timer = setTimeout(() => {
        reject(new Error(`mcp-host did not print its listening line within ${readyTimeoutMs} ms`));
      }, readyTimeoutMs);
      let ready = false;
      lines.on('line', (line) => {
        stdout.push(line + '\n');
        if (ready) return;
        const m = LISTENING_RE.exec(line);
        if (m) {
          ready = true;
          clearTimeout(timer);
          resolve(m[2] ? { url: m[1], port: Number(m[2]) } : { url: m[1].split(' ')[0], port: Number(m[3]) });
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`cannot start mcp-host: ${err.message}`));
      });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        if (!ready) reject(new Error(`mcp-host exited before it was ready (code ${code}, signal ${signal})`));
      });
    }));
  } catch (err) {
    if (exitInfo === null && child.exitCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    await cleanup();
    err.message += `\n${logs()}`;
    throw err;
  }

  let stopping = null;
  const stop = () => {
    stopping ??= (async () => {
      try {
        if (exitInfo !== null) {
          throw new Error(`mcp-host had already exited (code ${exitInfo.code}, signal ${exitInfo.signal})\n${logs()}`);
        }
        child.kill('SIGTERM');
        let timer;
        const result = await Promise.race([
          exited,
          new Promise((resolve) => {
            timer = setTimeout(() => resolve(null), stopTimeoutMs);
          }),
        ]);
        clearTimeout(timer);
        if (result === null) {
          child.kill('SIGKILL');
          await exited;
          throw new Error(`mcp-host did not exit within ${stopTimeoutMs} ms of SIGTERM\n${logs()}`);
        }
        if (result.code !== 0) {
          throw new Error(`mcp-host exited with code ${result.code}, signal ${result.signal} after SIGTERM\n${logs()}`);
        }
      } finally {
        await cleanup();
      }
    })();
    return stopping;
  };

  return { url, port, pid: child.pid, logs, stop };
}
