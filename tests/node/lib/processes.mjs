// What the tests' daemons (nginx, HAProxy, redis-server, mcp-host) share: waiting for a port to
// listen and stopping a child process, each with a bound and no fixed sleep.
import { connect } from 'node:net';

/**
 * Resolves once something accepts connections on 127.0.0.1:`port`, polled every 25 ms.
 * @param {number} port
 * @param {number} deadlineMs
 * @param {() => boolean} exited  true once the process that should listen has exited
 * @param {string} name           the process, for the errors
 */
export async function waitForPort(port, deadlineMs, exited, name) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (exited()) throw new Error(`${name} exited before it listened`);
    if (Date.now() > deadline) throw new Error(`${name} did not listen on 127.0.0.1:${port} within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * SIGTERM, then up to `timeoutMs` for the exit, then SIGKILL.
 * @param {import('node:child_process').ChildProcess} child
 * @param {Promise<unknown>} exited  resolves when the child has exited
 * @param {number} timeoutMs
 * @returns {Promise<boolean>} true when it exited on SIGTERM in time, false when it was killed
 */
export async function terminate(child, exited, timeoutMs) {
  child.kill('SIGTERM');
  let timer;
  const result = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)))]);
  clearTimeout(timer);
  if (result !== null) return true;
  child.kill('SIGKILL');
  await exited;
  return false;
}
