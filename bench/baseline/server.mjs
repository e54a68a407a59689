// Baseline for the benchmark: the official MCP TypeScript SDK serving the same `echo` tool as
// mcp-host, over Streamable HTTP with stateful sessions (one McpServer + one transport per
// session, as in the SDK's README), on plain node:http.
//
//   node server.mjs [--port N] [--json-response]
//
// --port defaults to 0 (a free port). --json-response sets the transport's enableJsonResponse,
// so POSTs are answered as application/json instead of the default SSE stream.
//
// Prints "ts-sdk-baseline listening on http://127.0.0.1:<port>/mcp" once ready; SIGTERM or
// SIGINT closes every session and exits 0. It binds 127.0.0.1 only.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

const MCP_PATH = '/mcp';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'json-response': { type: 'boolean', default: false },
  },
});
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port ${args.port}`);
  process.exit(2);
}

/** One McpServer per session, exactly like the SDK README's stateful example. */
function createMcpServer() {
  const server = new McpServer({ name: 'ts-sdk-baseline', version: '1.0.0' });
  server.registerTool(
    'echo',
    {
      description: 'Returns the given text unchanged.',
      inputSchema: { text: z.string().describe('Text to echo back') },
    },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
}

/** @type {Map<string, StreamableHTTPServerTransport>} */
const transports = new Map();

function sendJsonRpcError(res, status, code, message) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

function readJsonBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(Object.assign(new Error('Parse error'), { status: 400 }));
      }
    });
    req.on('error', reject);
  });
}

async function handlePost(req, res) {
  let body;
  try {
    body = await readJsonBody(req);
  } catch (err) {
    sendJsonRpcError(res, err.status ?? 400, -32700, err.message);
    return;
  }
  const sessionId = req.headers['mcp-session-id'];
  const existing = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
  if (existing) {
    await existing.handleRequest(req, res, body);
    return;
  }
  if (sessionId === undefined && isInitializeRequest(body)) {
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: args['json-response'],
      onsessioninitialized: (id) => {
        transports.set(id, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) transports.delete(transport.sessionId);
    };
    await createMcpServer().connect(transport);
    await transport.handleRequest(req, res, body);
    return;
  }
  if (sessionId !== undefined) {
    sendJsonRpcError(res, 404, -32001, 'Session not found');
  } else {
    sendJsonRpcError(res, 400, -32000, 'Bad Request: No valid session ID provided');
  }
}

async function handleSessionRequest(req, res) {
  const sessionId = req.headers['mcp-session-id'];
  if (typeof sessionId !== 'string') {
    sendJsonRpcError(res, 400, -32000, 'Bad Request: No valid session ID provided');
    return;
  }
  const transport = transports.get(sessionId);
  if (!transport) {
    sendJsonRpcError(res, 404, -32001, 'Session not found');
    return;
  }
  await transport.handleRequest(req, res);
}

const httpServer = http.createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path !== MCP_PATH) {
    res.writeHead(404).end();
    return;
  }
  let work;
  if (req.method === 'POST') work = handlePost(req, res);
  else if (req.method === 'GET' || req.method === 'DELETE') work = handleSessionRequest(req, res);
  else {
    res.writeHead(405, { Allow: 'GET, POST, DELETE' }).end();
    return;
  }
  work.catch((err) => {
    console.error('request failed:', err);
    if (!res.headersSent) sendJsonRpcError(res, 500, -32603, 'Internal server error');
    else res.end();
  });
});

httpServer.listen(port, '127.0.0.1', () => {
  const { port: bound } = httpServer.address();
  console.log(`ts-sdk-baseline listening on http://127.0.0.1:${bound}${MCP_PATH}`);
});

let shuttingDown = false;
async function shutdown() {
  if (shuttingDown) return;
  shuttingDown = true;
  await Promise.allSettled([...transports.values()].map((t) => t.close()));
  httpServer.closeAllConnections();
  httpServer.close(() => process.exit(0));
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
