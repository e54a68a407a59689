// Summarises bench/run.sh measurements: medians per (server, connections), ratios of mcp-host
// to the floor (a bare Poco HTTPServer, bench/floor.cpp) and to the TypeScript SDK baseline, a
// results JSON file and markdown tables on stdout.
//
//   node summarize.mjs RAW.jsonl OUT.json [--host-bin PATH] [--baseline-dir DIR] [--settings JSON]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'host-bin': { type: 'string' },
    'baseline-dir': { type: 'string' },
    settings: { type: 'string', default: '{}' },
  },
});
if (positionals.length !== 2) {
  console.error('usage: node summarize.mjs RAW.jsonl OUT.json [--host-bin P] [--baseline-dir D] [--settings JSON]');
  process.exit(2);
}
const [rawPath, outPath] = positionals;
const samples = readFileSync(rawPath, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l));

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function summarise(list) {
  const lg = list.map((s) => s.loadgen);
  return {
    runs: list.length,
    throughput_rps: median(lg.map((r) => r.throughput_rps)),
    latency_ms_p50: median(lg.map((r) => r.latency_ms_p50)),
    latency_ms_p99: median(lg.map((r) => r.latency_ms_p99)),
    latency_ms_max: median(lg.map((r) => r.latency_ms_max)),
    peak_rss_mib: median(list.map((s) => s.peak_rss_kib / 1024)),
    // Server CPU time (user + system) per tools/call while the load generator ran, warm-up
    // included in both the time and the count; session set-up is a handful of requests.
    server_cpu_us_per_req: median(
      list.map((s) => (1e6 * s.server_cpu_s) / Math.max(1, s.loadgen.requests + (s.loadgen.warmup_requests_done ?? 0))),
    ),
    loadgen_cpu_us_per_req: median(lg.map((r) => r.loadgen_cpu_us_per_req ?? NaN)),
    requests: lg.reduce((n, r) => n + r.requests, 0),
    errors: lg.reduce((n, r) => n + r.errors, 0),
    response_kind: lg.every((r) => r.responses_sse === 0) ? 'json' : lg.every((r) => r.responses_json === 0) ? 'sse' : 'mixed',
  };
}

const SERVER_NAMES = {
  host: 'mcp-host',
  'host-auth': 'mcp-host, authenticated (JWT, local JWKS)',
  'host-401': 'mcp-host, no token (401)',
  'host-isolated': 'mcp-host, echo isolated (worker process)',
  'host-store-sqlite': 'mcp-host, own tokens, SQLite store',
  'host-store-redis': 'mcp-host, own tokens, Redis store',
  floor: 'floor (bare Poco HTTPServer)',
  baseline: 'TS SDK, default (SSE)',
  'baseline-json': 'TS SDK, enableJsonResponse',
};
const servers = Object.keys(SERVER_NAMES).filter((name) => samples.some((s) => s.server === name));
const HOST_VARIANTS = ['host', 'host-auth', 'host-401', 'host-isolated', 'host-store-sqlite', 'host-store-redis'];
const hosts = servers.filter((name) => HOST_VARIANTS.includes(name));
// A 401 answers no tools/call, so only the variants that do are compared with the baselines.
const callingHosts = hosts.filter((name) => name !== 'host-401');
const baselines = servers.filter((name) => !HOST_VARIANTS.includes(name) && name !== 'floor');
const hasFloor = servers.includes('floor');
const connections = [...new Set(samples.map((s) => s.loadgen.connections))].sort((a, b) => a - b);
const configs = connections.map((c) => {
  const summaries = Object.fromEntries(
    servers.map((server) => [server, summarise(samples.filter((s) => s.server === server && s.loadgen.connections === c))]),
  );
  // Every ratio is oriented so that above 1 means mcp-host does better.
  const ratios = Object.fromEntries(
    callingHosts.flatMap((h) =>
      baselines.map((b) => {
        const host = summaries[h];
        const base = summaries[b];
        return [
          `${h} vs ${b}`,
          {
            host: h,
            baseline: b,
            throughput_host_over_baseline: host.throughput_rps / base.throughput_rps,
            p50_baseline_over_host: base.latency_ms_p50 / host.latency_ms_p50,
            p99_baseline_over_host: base.latency_ms_p99 / host.latency_ms_p99,
            peak_rss_baseline_over_host: base.peak_rss_mib / host.peak_rss_mib,
            cpu_per_req_baseline_over_host: base.server_cpu_us_per_req / host.server_cpu_us_per_req,
          },
        ];
      }),
    ),
  );
  // Against the floor, the cost of Poco's HTTP layer alone: mcp-host cannot beat it, so
  // throughput host/floor is at most about 1 and p99 host/floor at least about 1; the closer
  // both are to 1, the less mcp-host adds on top of the HTTP layer.
  const floor = hasFloor
    ? Object.fromEntries(
        hosts.map((h) => [
          h,
          {
            throughput_host_over_floor: summaries[h].throughput_rps / summaries.floor.throughput_rps,
            p99_host_over_floor: summaries[h].latency_ms_p99 / summaries.floor.latency_ms_p99,
          },
        ]),
      )
    : null;
  return { connections: c, servers: summaries, floor_ratios: floor, ratios };
});

function tryRun(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
function sdkVersion(dir) {
  try {
    const pkg = path.join(dir, 'node_modules', '@modelcontextprotocol', 'sdk', 'package.json');
    return JSON.parse(readFileSync(pkg, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}
const cpuModel = (() => {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
})();

const result = {
  date: new Date().toISOString(),
  machine: { cpu: cpuModel, cores: os.cpus().length, memory_gib: +(os.totalmem() / 2 ** 30).toFixed(1), kernel: os.release() },
  host: {
    bin: opts['host-bin'] ?? 'unknown',
    git: opts['host-bin'] ? tryRun('git', ['-C', path.dirname(opts['host-bin']), 'rev-parse', '--short', 'HEAD']) : 'unknown',
  },
  baseline: { node: process.version, sdk: opts['baseline-dir'] ? sdkVersion(opts['baseline-dir']) : 'unknown' },
  settings: JSON.parse(opts.settings),
  configs,
  samples,
};
writeFileSync(outPath, JSON.stringify(result, null, 2) + '\n');

const f = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const lines = [
  `tools/call echo, ${result.machine.cores} cores (${result.machine.cpu}), median of ${result.settings.runs ?? '?'} runs, ` +
    `${result.settings.pinned ? 'server pinned to CPU 0 and load generator to CPU 1' : 'not pinned'}` +
    (baselines.length > 0 ? `; baseline: TypeScript SDK ${result.baseline.sdk} on Node ${result.baseline.node}` : ''),
  '',
  '| connections | server | throughput (req/s) | p50 (ms) | p99 (ms) | max (ms) | peak RSS (MiB) | server CPU (µs/req) | loadgen CPU (µs/req) | errors | answers |',
  '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
];
for (const c of configs) {
  for (const server of servers) {
    const s = c.servers[server];
    lines.push(
      `| ${c.connections} | ${SERVER_NAMES[server]} | ${f(s.throughput_rps)} | ${f(s.latency_ms_p50, 3)} | ` +
        `${f(s.latency_ms_p99, 3)} | ${f(s.latency_ms_max, 2)} | ${f(s.peak_rss_mib, 1)} | ` +
        `${f(s.server_cpu_us_per_req)} | ${f(s.loadgen_cpu_us_per_req)} | ${s.errors} | ${s.response_kind} |`,
    );
  }
}
if (hasFloor) {
  lines.push(
    '',
    'mcp-host against the floor (the floor is the ceiling: closer to 1 is better):',
    '',
    '| connections | mcp-host | throughput host/floor | p99 host/floor |',
    '|---:|---|---:|---:|',
  );
  for (const c of configs) {
    for (const h of hosts) {
      const r = c.floor_ratios[h];
      lines.push(`| ${c.connections} | ${SERVER_NAMES[h]} | ${f(r.throughput_host_over_floor, 2)}× | ${f(r.p99_host_over_floor, 2)}× |`);
    }
  }
}
if (servers.includes('host') && servers.includes('host-isolated')) {
  // The goal: isolated throughput at least 0.5x in-process at 64 connections.
  lines.push(
    '',
    'Isolation overhead, echo in a worker process against in-process:',
    '',
    '| connections | throughput isolated/in-process | p50 isolated-in-process (ms) | p99 isolated/in-process | CPU per request isolated/in-process |',
    '|---:|---:|---:|---:|---:|',
  );
  for (const c of configs) {
    const i = c.servers['host-isolated'];
    const h = c.servers.host;
    lines.push(
      `| ${c.connections} | ${f(i.throughput_rps / h.throughput_rps, 2)}× | ${f(i.latency_ms_p50 - h.latency_ms_p50, 3)} | ` +
        `${f(i.latency_ms_p99 / h.latency_ms_p99, 2)}× | ${f(i.server_cpu_us_per_req / h.server_cpu_us_per_req, 2)}× |`,
    );
  }
}
if (servers.includes('host-store-sqlite') && servers.includes('host-store-redis')) {
  // The scale-out issue's goal: one instance on Redis at least 0.7x one on the embedded store.
  lines.push(
    '',
    'The shared store, one instance on Redis against one on the embedded SQLite file:',
    '',
    '| connections | throughput Redis/SQLite | p50 Redis-SQLite (ms) | p99 Redis/SQLite | server CPU per request Redis/SQLite |',
    '|---:|---:|---:|---:|---:|',
  );
  for (const c of configs) {
    const r = c.servers['host-store-redis'];
    const q = c.servers['host-store-sqlite'];
    lines.push(
      `| ${c.connections} | ${f(r.throughput_rps / q.throughput_rps, 2)}× | ${f(r.latency_ms_p50 - q.latency_ms_p50, 3)} | ` +
        `${f(r.latency_ms_p99 / q.latency_ms_p99, 2)}× | ${f(r.server_cpu_us_per_req / q.server_cpu_us_per_req, 2)}× |`,
    );
  }
}
if (baselines.length > 0) {
  lines.push(
    '',
    'Ratios, mcp-host against each baseline (above 1: mcp-host better):',
    '',
    '| connections | mcp-host | against | throughput host/baseline | p50 baseline/host | p99 baseline/host | peak RSS baseline/host | CPU per request baseline/host |',
    '|---:|---|---|---:|---:|---:|---:|---:|',
  );
  for (const c of configs) {
    for (const r of Object.values(c.ratios)) {
      lines.push(
        `| ${c.connections} | ${SERVER_NAMES[r.host]} | ${SERVER_NAMES[r.baseline]} | ${f(r.throughput_host_over_baseline, 2)}× | ${f(r.p50_baseline_over_host, 2)}× | ` +
          `${f(r.p99_baseline_over_host, 2)}× | ${f(r.peak_rss_baseline_over_host, 2)}× | ${f(r.cpu_per_req_baseline_over_host, 2)}× |`,
      );
    }
  }
}
console.log(lines.join('\n'));
const errors = configs.reduce((n, c) => n + Object.values(c.servers).reduce((m, s) => m + s.errors, 0), 0);
if (errors > 0) console.log(`\nWARNING: ${errors} failed requests in total; see ${outPath}`);
