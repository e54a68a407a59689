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
