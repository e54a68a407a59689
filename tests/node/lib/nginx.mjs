// Starts nginx (the Debian package's binary) for a test, in front of a host, with the README's
// example configuration (packaging/nginx/mcp-host.conf) and a self-signed certificate for
// 127.0.0.1. Only the listen address, server name, certificate paths and the host's port are
// replaced; each replacement must match, so a change to the example cannot go untested.
//
// nginx runs in the foreground with every path (pid, logs, temporary files) in its own
// temporary directory. The wait for it is a bounded poll of its port, not a fixed sleep.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { waitForPort } from './processes.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const EXAMPLE_CONFIG = path.join(REPO_ROOT, 'packaging', 'nginx', 'mcp-host.conf');
const run = promisify(execFile);

/** The nginx binary: MCPH_NGINX, else the Debian package's /usr/sbin/nginx, else the PATH. */
export function nginxBinary() {
  if (process.env.MCPH_NGINX) return process.env.MCPH_NGINX;
  if (existsSync('/usr/sbin/nginx')) return '/usr/sbin/nginx';
  return 'nginx';
}

/** A self-signed P-256 certificate for IP 127.0.0.1, valid one day: {certFile, keyFile, pem}. */
export async function selfSignedCertificate(dir) {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1',
  ]);
  return { certFile, keyFile, pem: await readFile(certFile, 'utf8') };
}

function replaceOnce(text, from, to) {
  if (!text.includes(from)) throw new Error(`${EXAMPLE_CONFIG} no longer contains ${JSON.stringify(from)}`);
  return text.split(from).join(to);
}

/**
 * Starts nginx on 127.0.0.1:`port` with TLS, proxying to the host on 127.0.0.1:`hostPort`.
 * @returns {Promise<{origin: string, logs: () => Promise<string>, stop: () => Promise<void>}>}
 */
export async function startNginx({ port, hostPort, certFile, keyFile, readyTimeoutMs = 10_000 }) {
  const dir = await mkdtemp(path.join(tmpdir(), 'mcph-nginx-'));
  for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(path.join(dir, sub));
  let site = await readFile(EXAMPLE_CONFIG, 'utf8');
  site = replaceOnce(site, 'listen 443 ssl http2;', `listen 127.0.0.1:${port} ssl http2;`);
  site = replaceOnce(site, 'server_name mcp.example.com;', 'server_name 127.0.0.1;');
  site = replaceOnce(site, '/etc/ssl/mcp.example.com/fullchain.pem', certFile);
  site = replaceOnce(site, '/etc/ssl/mcp.example.com/privkey.pem', keyFile);
  site = replaceOnce(site, 'server 127.0.0.1:8080;', `server 127.0.0.1:${hostPort};`);
  // Run as root (as in CI), the workers would switch to "nobody", who cannot write the
  // temporary directories made here: keep them as the current user.
  const user = process.getuid?.() === 0 ? 'user root root;' : '';
  const conf = `${user}
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 256; }
http {
    access_log ${dir}/access.log;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
${site}
}
`;
  const confFile = path.join(dir, 'nginx.conf');
  await writeFile(confFile, conf);
  const child = spawn(nginxBinary(), ['-p', dir, '-c', confFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exitInfo = null;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exitInfo = { code, signal }))));
  const spawnError = new Promise((resolve) => child.once('error', resolve));

  const logs = async () => {
    const error = await readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '');
    const access = await readFile(path.join(dir, 'access.log'), 'utf8').catch(() => '');
    return `--- nginx output ---\n${output}\n--- nginx error.log ---\n${error}\n--- nginx access.log ---\n${access}--- end ---`;
  };
  const stop = async () => {
    if (exitInfo === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      waitForPort(port, readyTimeoutMs, () => exitInfo !== null, 'nginx'),
      spawnError.then((err) => {
        throw new Error(`cannot run ${nginxBinary()} (install the Debian package nginx): ${err.message}`);
      }),
    ]);
  } catch (err) {
    err.message += `\n${await logs()}`;
    await stop();
    throw err;
  }
  return { origin: `https://127.0.0.1:${port}`, pid: child.pid, logs, stop };
}
