#include "mcp/ProtocolVersion.h"

#include <algorithm>

namespace mcph::mcp {

const std::vector<std::string>& supportedProtocolVersions() {
    static const std::vector<std::string> versions = {"2025-11-25", "2025-06-18", "2025-03-26"};
    return versions;
}

const std::string& latestProtocolVersion() { return supportedProtocolVersions().front(); }

bool isSupportedProtocolVersion(const std::string& version) {
    const auto& v = supportedProtocolVersions();
    return std::find(v.begin(), v.end(), version) != v.end();
}

std::string negotiateProtocolVersion(const std::string& requested) {
    return isSupportedProtocolVersion(requested) ? requested : latestProtocolVersion();
}

}  // namespace mcph::mcp

namespace mcph::mcp {

const std::vector<std::string>& allProtocolVersions() {
    static const std::vector<std::string> versions = [] {
        std::vector<std::string> v{kStatelessProtocolVersion};
        for (const auto& old : supportedProtocolVersions()) v.push_back(old);
        return v;
    }();
    return versions;
}

bool isKnownProtocolVersion(const std::string& version) {
    return version == kStatelessProtocolVersion || isSupportedProtocolVersion(version);
}

}  // namespace mcph::mcp
