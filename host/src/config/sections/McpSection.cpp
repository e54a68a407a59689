#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <sstream>

#include "config/UrlChecks.h"
#include "config/reader/Suggest.h"
#include "config/sections/Sections.h"

namespace mcph::config {

namespace {

constexpr std::int64_t kMiB = std::int64_t{1} << 20;

}  // namespace

void readMcpSection(ObjectReader& mcp, McpConfig& out) {
    if (std::optional<ConfigString> path = mcp.string("path")) {
        if (std::optional<std::string> problem = mcpPathProblem(path->value)) {
            mcp.diagnostics().error(mcp.pathOf("path"), *problem + ": " + path->shown());
        } else {
            out.path = path->value;
        }
    }
    if (auto origins = mcp.stringArray("allowedOrigins")) {
        for (const ConfigString& origin : *origins) {
            std::string problem;
            if (std::optional<std::string> normalized = normalizeOrigin(origin.value, problem)) {
                out.allowedOrigins.push_back(*normalized);
            } else {
                const bool userInfo = problem.find("user information") != std::string::npos;
                mcp.diagnostics().error(origin.keyPath,
                                        userInfo ? problem : problem + ": " + origin.shown());
            }
        }
    }
    if (auto bytes = mcp.integer("maxRequestBytes", 1024, 64 * kMiB)) {
        out.maxRequestBytes = static_cast<std::size_t>(*bytes);
    }
    if (auto pageSize = mcp.integer("pageSize", 1, 1000)) {
        out.pageSize = static_cast<int>(*pageSize);
    }
    if (auto idle = mcp.integer("sessionIdleSeconds", 10, std::int64_t{7} * 86400)) {
        out.sessionIdleSeconds = static_cast<int>(*idle);
    }
    if (auto secret = mcp.secret("requestStateSecret")) {
        if (secret->value.size() < 32) {
            mcp.diagnostics().error(mcp.pathOf("requestStateSecret"),
                                    "must be at least 32 characters");
        } else {
            out.requestStateSecret = secret->value;
        }
    }
    if (auto maxSessions = mcp.integer("maxSessions", 1, 1000000)) {
        out.maxSessions = static_cast<int>(*maxSessions);
    }
    if (auto perUser = mcp.integer("maxSessionsPerUser", 1, 1000000)) {
        out.maxSessionsPerUser = static_cast<int>(*perUser);
    }
    if (auto streams = mcp.integer("maxStreams", 1, 1000000)) {
        out.maxStreams = static_cast<int>(*streams);
    }
    if (auto heartbeat = mcp.integer("sseHeartbeatSeconds", 1, 300)) {
        out.sseHeartbeatSeconds = static_cast<int>(*heartbeat);
    }
    if (auto buffer = mcp.integer("streamBufferBytes", 4096, std::int64_t{64} << 20)) {
        out.streamBufferBytes = static_cast<std::size_t>(*buffer);
    }
    mcp.finish();
}

}  // namespace mcph::config
