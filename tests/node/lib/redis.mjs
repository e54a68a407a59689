// Starts redis-server (the Debian package's binary) for a test: no TCP port at all (`--port 0`
// means "no TCP listener" to Redis), a Unix socket in its own temporary directory, the
// append-only file on (fsync on every write) and no RDB snapshots, so stop() and start() again
// on the same directory is a restart that keeps every key, as a production Redis with AOF does.
//
// Ready means "answers PING on the socket", polled with a bound; stop() is SIGTERM and a bounded
// wait for the exit (Redis flushes its AOF on SIGTERM). No fixed sleeps.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { terminate } from './processes.mjs';

const MAX_LOG_CHARS = 64 * 1024;

/** The redis-server binary: MCPH_REDIS_SERVER, else the Debian package's, else the PATH. */
export function redisBinary() {
  if (process.env.MCPH_REDIS_SERVER) return process.env.MCPH_REDIS_SERVER;
  if (existsSync('/usr/bin/redis-server')) return '/usr/bin/redis-server';
  return 'redis-server';
}

/** true when a Redis answers PING on the Unix socket `socketPath` within `timeoutMs`. */
export function ping(socketPath, timeoutMs = 1_000) {
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect({ path: socketPath });
    const done = (ok) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      answer += d;
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

/**
 * Starts redis-server in a new temporary directory.
 * @returns {Promise<{dir: string, socket: string, url: string, readonly pid: number|undefined,
 *   running: () => boolean, logs: () => Promise<string>, stop: () => Promise<void>,
 *   start: () => Promise<void>, remove: () => void}>}
 *   url is what the host's redis.url takes (unix:///...). stop() and start() may alternate
 *   (a restart on the same socket and data); remove() deletes the directory (after stop()).
 */
export async function startRedis({ readyTimeoutMs = 10_000, stopTimeoutMs = 10_000 } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'mcph-redis-'));
  const socket = path.join(dir, 'redis.sock');
  const logFile = path.join(dir, 'redis.log');
  let child = null;
  let exitInfo = null;
  let exited = null;
  let output = '';

  const logs = async () => {
    const file = await readFile(logFile, 'utf8').catch(() => '');
    return `--- redis-server (${dir}) output ---\n${output}\n--- redis.log ---\n${file.slice(-MAX_LOG_CHARS)}--- end ---`;
  };

  const start = async () => {
    if (child && exitInfo === null) throw new Error('redis-server is already running');
    exitInfo = null;
    child = spawn(
      redisBinary(),
      [
        '--port', '0', // no TCP listener: the Unix socket only
        '--unixsocket', socket,
        '--unixsocketperm', '700',
        '--dir', dir,
        '--appendonly', 'yes',
        '--appendfsync', 'always',
        '--save', '',
        '--daemonize', 'no',
        '--loglevel', 'notice',
        '--logfile', logFile,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const me = child;
    me.stdout.setEncoding('utf8');
    me.stderr.setEncoding('utf8');
    const collect = (d) => {
      output += d;
      if (output.length > MAX_LOG_CHARS) output = output.slice(-MAX_LOG_CHARS);
    };
    me.stdout.on('data', collect);
    me.stderr.on('data', collect);
    exited = new Promise((resolve) => me.once('exit', (code, signal) => resolve((exitInfo = { code, signal }))));
    let spawnError = null;
    me.once('error', (err) => (spawnError = err));
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (spawnError) throw new Error(`cannot run ${redisBinary()} (install the Debian package redis-server): ${spawnError.message}`);
      if (await ping(socket)) return;
      if (exitInfo !== null) {
        throw new Error(`redis-server exited at start (code ${exitInfo.code}, signal ${exitInfo.signal})\n${await logs()}`);
      }
      if (Date.now() > deadline) {
        me.kill('SIGKILL');
        await exited;
        throw new Error(`redis-server did not answer PING on ${socket} within ${readyTimeoutMs} ms\n${await logs()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const stop = async () => {
    if (!child || exitInfo !== null) return;
    if (!(await terminate(child, exited, stopTimeoutMs))) {
      throw new Error(`redis-server did not exit within ${stopTimeoutMs} ms of SIGTERM\n${await logs()}`);
    }
  };

  const remove = () => rmSync(dir, { recursive: true, force: true });

  try {
    await start();
  } catch (err) {
    remove();
    throw err;
  }
  return {
    dir,
    socket,
    url: `unix://${socket}`,
    get pid() {
      return exitInfo === null ? child?.pid : undefined;
    },
    running: () => exitInfo === null,
    logs,
    stop,
    start,
    remove,
  };
}
