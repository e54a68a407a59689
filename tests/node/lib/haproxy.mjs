// Starts HAProxy (the Debian package's binary) for a test, in front of several hosts, with the
// shipped configuration (packaging/haproxy/mcp-host.cfg). Only the bind line and the server
// addresses are replaced; each replacement must match, so a change to the shipped file cannot
// go untested.
//
// The shipped file holds a frontend and a backend and relies on the global and defaults sections
// of the Debian package's haproxy.cfg; the test writes a small stand-in for those (log to
// stdout, `mode http` and Debian's timeouts, no chroot, no user switch) and loads both files with
// two -f, as /etc/default/haproxy does in production. HAProxy runs in the foreground (-db); the
// configuration is checked first (haproxy -c) so a bad file fails with HAProxy's own message.
// The wait for it is a bounded poll of its port, not a fixed sleep.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { terminate, waitForPort } from './processes.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SHIPPED_CONFIG = path.join(REPO_ROOT, 'packaging', 'haproxy', 'mcp-host.cfg');
/** The servers the shipped file names, in order; the test's hosts take their places. */
export const SHIPPED_SERVERS = [
  { name: 'h1', line: 'server h1 127.0.0.1:8081' },
  { name: 'h2', line: 'server h2 127.0.0.1:8082' },
  { name: 'h3', line: 'server h3 127.0.0.1:8083' },
];
const MAX_LOG_CHARS = 256 * 1024;
const run = promisify(execFile);

/** The haproxy binary: MCPH_HAPROXY, else the Debian package's /usr/sbin/haproxy, else the PATH. */
export function haproxyBinary() {
  if (process.env.MCPH_HAPROXY) return process.env.MCPH_HAPROXY;
  if (existsSync('/usr/sbin/haproxy')) return '/usr/sbin/haproxy';
  return 'haproxy';
}

function replaceOnce(text, from, to) {
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`${SHIPPED_CONFIG} contains ${JSON.stringify(from)} ${count} times, not once`);
  return text.replace(from, to);
}

/** What the Debian package's haproxy.cfg provides around the shipped file, for a test. */
const GLOBAL_AND_DEFAULTS = `global
    log stdout format raw local0 info
    maxconn 1024

defaults
    log global
    mode http
    option httplog
    option dontlognull
    timeout connect 5000
    timeout client 50000
    timeout server 50000
`;

/**
 * Starts HAProxy on 127.0.0.1:`port` balancing over `serverPorts` (one host port each, in the
 * order h1, h2, h3 of the shipped file; exactly as many as it names).
 * @returns {Promise<{origin: string, pid: number, servers: string[], logs: () => string, stop: () => Promise<void>}>}
 */
export async function startHaproxy({ port, serverPorts, readyTimeoutMs = 10_000, stopTimeoutMs = 10_000 }) {
  if (serverPorts.length !== SHIPPED_SERVERS.length) {
    throw new Error(`${SHIPPED_CONFIG} names ${SHIPPED_SERVERS.length} servers, the test gave ${serverPorts.length}`);
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'mcph-haproxy-'));
  let site = await readFile(SHIPPED_CONFIG, 'utf8');
  site = replaceOnce(site, '    bind :80\n', `    bind 127.0.0.1:${port}\n`);
  SHIPPED_SERVERS.forEach(({ name, line }, i) => {
    site = replaceOnce(site, `    ${line}\n`, `    server ${name} 127.0.0.1:${serverPorts[i]}\n`);
  });
  const globalFile = path.join(dir, 'haproxy.cfg');
  const siteFile = path.join(dir, 'mcp-host.cfg');
  await writeFile(globalFile, GLOBAL_AND_DEFAULTS);
  await writeFile(siteFile, site);
  const args = ['-f', globalFile, '-f', siteFile];
  try {
    await run(haproxyBinary(), ['-c', ...args]);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const why = err.code === 'ENOENT' ? 'install the Debian package haproxy' : `${err.stdout ?? ''}${err.stderr ?? ''}`;
    throw new Error(`haproxy -c refused the configuration (${haproxyBinary()}): ${why}\n--- ${siteFile} ---\n${site}`);
  }

  const child = spawn(haproxyBinary(), ['-db', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (d) => {
    output += d;
    if (output.length > MAX_LOG_CHARS) output = output.slice(-MAX_LOG_CHARS);
  };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exitInfo = null;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exitInfo = { code, signal }))));
  const spawnError = new Promise((resolve) => child.once('error', resolve));

  /** HAProxy's log (one line per request, with the server that served it) and its warnings. */
  const logs = () => `--- haproxy (${siteFile}) log ---\n${output}--- end ---`;
  let stopping = null;
  const stop = () => {
    stopping ??= (async () => {
      try {
        if (exitInfo === null) await terminate(child, exited, stopTimeoutMs);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    })();
    return stopping;
  };
  try {
    await Promise.race([
      waitForPort(port, readyTimeoutMs, () => exitInfo !== null, 'haproxy'),
      spawnError.then((err) => {
        throw new Error(`cannot run ${haproxyBinary()} (install the Debian package haproxy): ${err.message}`);
      }),
    ]);
  } catch (err) {
    err.message += `\n${logs()}`;
    await stop();
    throw err;
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid,
    servers: SHIPPED_SERVERS.map((s) => s.name),
    logs,
    stop,
  };
}
