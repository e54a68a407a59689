// Shared pieces of the real-client tests (mcp-remote, the MCP Inspector CLI): the host behind a
// recording front door, its two sign-in setups (proxy mode in front of the oidc-provider upstream,
// and the `local` provider with a users file), a clean environment for a client process with a
// headless "browser" as its BROWSER, and bounded child-process helpers.
//
// Why a front door: the tests must show what a real client sent the host (its registration body
// above all), and the host does not log request bodies. The host runs with `server.publicUrl` set
// to a small reverse proxy on 127.0.0.1 (port 0) that forwards every request unchanged (Host
// header included) and keeps a copy of each exchange; clients are only ever given the public URL,
// so discovery, registration, the browser's visits, /token and /mcp all pass through it, as they
// would through a TLS terminator in production.
import { spawn } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { hostPaths } from '../lib/host.mjs';
import { terminate } from '../lib/processes.mjs';
import { unusedLoopbackPort } from '../oauth/client-provider.mjs';
import { startUpstreamIdp, TEST_USER } from '../oauth/upstream-idp.mjs';

export { TEST_USER };

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const NODE_MODULES = path.resolve(HERE, '..', 'node_modules');
const MAX_LOG_CHARS = 256 * 1024;
const MAX_RECORDED_BODY = 64 * 1024;

// ---- child process hygiene: whatever this process started dies with it ----
const children = new Set();
const tempDirs = new Set();
process.on('exit', () => {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

export async function tempDir(prefix) {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export async function removeTempDir(dir) {
  await rm(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Keeps the last `max` characters of a stream. */
export class TailLog {
  constructor(max = MAX_LOG_CHARS) {
    this.max = max;
    this.text = '';
  }
  push(chunk) {
    this.text += chunk;
    if (this.text.length > this.max) this.text = this.text.slice(-this.max);
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function endToEnd(headers) {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase())));
}

/**
 * A recording reverse proxy on 127.0.0.1 (port 0). `setTarget(port)` once the host listens.
 * `exchanges()` lists {method, url, requestHeaders, requestBody, status, responseHeaders,
 * responseBody} (bodies as text, capped; an SSE response body is not kept).
 */
export async function startRecordingFront() {
  let targetPort;
  const exchanges = [];
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const entry = {
      method: req.method,
      url: req.url,
      requestHeaders: { ...req.headers },
      requestBody: '',
      status: 0,
      responseHeaders: {},
      responseBody: '',
    };
    exchanges.push(entry);
    if (!targetPort) {
      entry.status = 503;
      res.writeHead(503, { 'content-type': 'text/plain' }).end('front door: no target yet');
      return;
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: endToEnd(req.headers), agent: false },
      (ures) => {
        entry.status = ures.statusCode;
        entry.responseHeaders = { ...ures.headers };
        const keep = !String(ures.headers['content-type'] ?? '').startsWith('text/event-stream');
        res.writeHead(ures.statusCode, ures.statusMessage, endToEnd(ures.headers));
        if (typeof res.flushHeaders === 'function') res.flushHeaders();
        ures.on('data', (chunk) => {
          if (keep && entry.responseBody.length < MAX_RECORDED_BODY) entry.responseBody += chunk.toString('utf8');
          res.write(chunk);
        });
        ures.on('end', () => res.end());
        ures.on('error', () => res.destroy());
      },
    );
    upstream.on('error', (err) => {
      entry.status ||= 502;
      entry.responseBody ||= `front door: ${err.message}`;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`front door: ${err.message}`);
      else res.destroy();
    });
    // The client went away (e.g. it closed its GET SSE stream): so does the upstream request.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.on('data', (chunk) => {
      if (entry.requestBody.length < MAX_RECORDED_BODY) entry.requestBody += chunk.toString('utf8');
      upstream.write(chunk);
    });
    req.on('end', () => upstream.end());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    setTarget(port) {
      targetPort = port;
    },
    exchanges: () => exchanges.slice(),
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const LISTENING_RE = /^mcp-host listening on (\S+)(?: \(bound to [^)]*\))?\s*$/;

/**
 * Starts mcp-host on a free loopback port with `server.publicUrl` = `front.origin`, and points the
 * front at it. Returns {url (the public MCP URL), origin, logs(), stop()}.
 */
export async function startHostBehindFront(front, { auth, readyTimeoutMs = 20_000, stopTimeoutMs = 10_000 }) {
  const { bin, pluginsDir } = hostPaths();
  if (!existsSync(bin)) throw new Error(`mcp-host binary not found at ${bin}: build it, or set MCPH_HOST_BIN`);
  if (!existsSync(pluginsDir)) throw new Error(`plugin directory not found at ${pluginsDir}: build the plugins, or set MCPH_PLUGINS_DIR`);
  const dir = await tempDir('mcph-clients-host-');
  const port = await unusedLoopbackPort();
  const config = {
    server: { host: '127.0.0.1', port, publicUrl: front.origin },
    mcp: { path: '/mcp' },
    plugins: { dir: path.resolve(pluginsDir), settings: {} },
    auth,
  };
  const configPath = path.join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const child = spawn(bin, ['--config', configPath], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  children.add(child);
  const stdout = new TailLog();
  const stderr = new TailLog();
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => stderr.push(d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const logs = () => `--- mcp-host (config ${configPath}) stdout ---\n${stdout.text}\n--- stderr ---\n${stderr.text}\n--- end ---`;
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    let ready = false;
    const timer = setTimeout(() => reject(new Error(`mcp-host did not print its listening line within ${readyTimeoutMs} ms\n${logs()}`)), readyTimeoutMs);
    lines.on('line', (line) => {
      stdout.push(line + '\n');
      const m = !ready && LISTENING_RE.exec(line);
      if (m) {
        ready = true;
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('error', (err) => reject(new Error(`cannot start mcp-host: ${err.message}`)));
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`mcp-host exited before it was ready (code ${code}, signal ${signal})\n${logs()}`));
    });
  }).catch(async (err) => {
    child.kill('SIGKILL');
    await exited;
    children.delete(child);
    throw err;
  });
  if (!url.startsWith(`${front.origin}/`)) throw new Error(`mcp-host announced ${url}, expected the public URL ${front.origin}/mcp`);
  front.setTarget(port);
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      try {
        if (!(await terminate(child, exited, stopTimeoutMs))) {
          throw new Error(`mcp-host did not exit within ${stopTimeoutMs} ms of SIGTERM\n${logs()}`);
        }
      } finally {
        children.delete(child);
        await removeTempDir(dir);
      }
    })());
  return { url, origin: front.origin, logs, stop };
}

/** Proxy mode: the host in front of the oidc-provider upstream (./oauth/upstream-idp.mjs). */
export async function startProxySetup() {
  const idp = await startUpstreamIdp();
  const front = await startRecordingFront();
  const credentials = idp.newClientCredentials();
  const store = await tempDir('mcph-clients-store-');
  const host = await startHostBehindFront(front, {
    auth: {
      provider: 'proxy',
      authEndpoint: idp.endpoints.authEndpoint,
      tokenEndpoint: idp.endpoints.tokenEndpoint,
      issuer: idp.endpoints.issuer,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      tokenEndpointAuthMethod: credentials.authMethod,
      scopes: ['openid', 'email', 'profile'],
      verify: { jwks: { jwksUrl: idp.endpoints.jwksUrl } },
      allowInsecureHttp: true,
      store: { sqlite: path.join(store, 'auth.db') },
    },
  });
  await credentials.register(`${front.origin}/oauth/callback`);
  return {
    kind: 'proxy',
    idp,
    front,
    host,
    user: { sub: TEST_USER.sub, email: TEST_USER.email, name: TEST_USER.name },
    async stop() {
      await host.stop().catch(() => {});
      await front.stop();
      await idp.stop();
      await removeTempDir(store);
    },
  };
}

/** A users-file password hash as the host reads it: pbkdf2-sha256$<iterations>$<salt>$<hash>. */
export function passwordHash(password, iterations = 100_000) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  return `pbkdf2-sha256$${iterations}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** The `local` provider: the host's own sign-in page against a users file with one user. */
export async function startLocalSetup() {
  const dir = await tempDir('mcph-clients-local-');
  const user = { username: 'grace', password: `pw-${randomBytes(9).toString('base64url')}`, email: 'grace@example.com', name: 'Grace Hopper' };
  await writeFile(
    path.join(dir, 'users.json'),
    JSON.stringify({ users: [{ username: user.username, password: passwordHash(user.password), email: user.email, name: user.name }] }),
  );
  const front = await startRecordingFront();
  const host = await startHostBehindFront(front, {
    auth: { provider: 'local', users: path.join(dir, 'users.json'), store: { sqlite: path.join(dir, 'auth.db') } },
  });
  return {
    kind: 'local',
    front,
    host,
    user,
    async stop() {
      await host.stop().catch(() => {});
      await front.stop();
      await removeTempDir(dir);
    },
  };
}

/**
 * A home for one client: a temporary HOME (and config dirs under it), a BROWSER that is the
 * headless browser (./headless-browser.mjs, run by this Node.js) logging each visit to
 * `browserLog`, and an environment with nothing of the desktop (no DISPLAY, no D-Bus, no
 * XDG_CURRENT_DESKTOP: xdg-open then falls back to $BROWSER) and no proxy settings.
 * @param {object} opts
 * @param {{username: string, password: string}} [opts.signIn]  what to type on the host's sign-in page
 */
export async function clientHome({ signIn } = {}) {
  const home = await tempDir('mcph-clients-home-');
  const browserLog = path.join(home, 'browser-visits.jsonl');
  const browser = path.join(home, 'headless-browser.sh');
  const script = path.join(HERE, 'headless-browser.mjs');
  const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
  await writeFile(browser, `#!/bin/sh\nexec ${q(process.execPath)} ${q(script)} "$@"\n`);
  await chmod(browser, 0o755);
  const env = {};
  for (const key of ['PATH', 'LANG', 'LC_ALL', 'TZ', 'SYSTEMROOT']) if (process.env[key] !== undefined) env[key] = process.env[key];
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    BROWSER: browser,
    DO_NOT_TRACK: '1',
    NO_COLOR: '1',
    npm_config_update_notifier: 'false',
    MCPH_BROWSER_LOG: browserLog,
  });
  if (signIn) {
    env.MCPH_BROWSER_USERNAME = signIn.username;
    env.MCPH_BROWSER_PASSWORD = signIn.password;
  }
  return {
    home,
    env,
    async visits() {
      try {
        return (await readFile(browserLog, 'utf8'))
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line));
      } catch (err) {
        if (err.code === 'ENOENT') return [];
        throw err;
      }
    },
    cleanup: () => removeTempDir(home),
  };
}

/** Polls `probe` (async, truthy = done) every `intervalMs` until `timeoutMs`; returns its value. */
export async function waitFor(probe, { timeoutMs = 30_000, intervalMs = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Runs a command to its end with a bounded wait. Returns {code, signal, stdout, stderr}.
 */
export async function run(command, args, { env, cwd, timeoutMs = 60_000, input, keepStdinOpen = false } = {}) {
  const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  const stdout = new TailLog();
  const stderr = new TailLog();
  child.stdout.setEncoding('utf8').on('data', (d) => stdout.push(d));
  child.stderr.setEncoding('utf8').on('data', (d) => stderr.push(d));
  // keepStdinOpen: as in a terminal, stdin stays open until the process ends (mcp-remote-client
  // takes the end of its stdin for "the user left" and quits).
  child.stdin.on('error', () => {});
  if (input !== undefined) child.stdin.end(input);
  else if (!keepStdinOpen) child.stdin.end();
  let timer;
  const result = await Promise.race([
    new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal }))),
    new Promise((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs))),
  ]);
  clearTimeout(timer);
  children.delete(child);
  child.stdin.destroy();
  if (result === null) {
    child.kill('SIGKILL');
    throw new Error(`${path.basename(args[0] ?? command)} ${args.slice(1).join(' ')} did not finish within ${timeoutMs} ms\n--- stdout ---\n${stdout.text}\n--- stderr ---\n${stderr.text}`);
  }
  return { ...result, stdout: stdout.text, stderr: stderr.text };
}

/**
 * Starts a long-running stdio MCP client process (mcp-remote): newline-delimited JSON-RPC on its
 * stdin/stdout. `request(method, params, timeoutMs)` resolves with the response; `stop()` ends it.
 */
export function startStdioPeer(command, args, { env, cwd } = {}) {
  const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  const stderr = new TailLog();
  const received = [];
  const waiting = new Map();
  let nextId = 1;
  child.stderr.setEncoding('utf8').on('data', (d) => stderr.push(d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let exitInfo = null;
  exited.then((info) => {
    exitInfo = info;
    for (const { reject } of waiting.values()) reject(new Error(`the process exited (code ${info.code}, signal ${info.signal})`));
    waiting.clear();
  });
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      received.push({ unparsed: line });
      return;
    }
    received.push(message);
    if (message.id !== undefined && waiting.has(message.id) && (message.result !== undefined || message.error !== undefined)) {
      waiting.get(message.id).resolve(message);
      waiting.delete(message.id);
    }
  });
  const send = (message) => child.stdin.write(`${JSON.stringify(message)}\n`);
  return {
    pid: child.pid,
    stderr: () => stderr.text,
    received: () => received.slice(),
    notify(method, params) {
      send({ jsonrpc: '2.0', method, ...(params ? { params } : {}) });
    },
    async request(method, params, timeoutMs = 30_000) {
      if (exitInfo) throw new Error(`the process has exited (code ${exitInfo.code}, signal ${exitInfo.signal})\n${stderr.text}`);
      const id = nextId++;
      let timer;
      const answer = new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
      send({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
      try {
        return await Promise.race([
          answer,
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer to ${method} within ${timeoutMs} ms`)), timeoutMs))),
        ]);
      } catch (err) {
        err.message += `\n--- client stderr ---\n${stderr.text}`;
        throw err;
      } finally {
        clearTimeout(timer);
        waiting.delete(id);
      }
    },
    async stop(timeoutMs = 10_000) {
      if (!exitInfo) {
        child.stdin.end();
        child.kill('SIGTERM');
        let timer;
        const result = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)))]);
        clearTimeout(timer);
        if (result === null) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      children.delete(child);
      return exitInfo;
    },
  };
}

/** The registration requests (POST /register) the front door saw, with the host's answers. */
export function registrations(front) {
  return front.exchanges().filter((e) => e.method === 'POST' && e.url.split('?')[0] === '/register');
}

/** A short, readable record of an exchange list (for the test output). */
export function describeExchanges(list) {
  return list
    .map((e) => {
      const body = e.requestBody ? `\n    > ${e.requestBody.slice(0, 2000)}` : '';
      const answer = e.responseBody ? `\n    < ${e.responseBody.slice(0, 2000)}` : '';
      const auth = e.requestHeaders.authorization ? ' [Authorization: ' + e.requestHeaders.authorization.split(' ')[0] + ' …]' : '';
      return `  ${e.method} ${e.url}${auth} -> ${e.status}${body}${answer}`;
    })
    .join('\n');
}
