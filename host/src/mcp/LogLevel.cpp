#include "mcp/LogLevel.h"

namespace mcph::mcp {

int logSeverity(const std::string& level) {
    static const char* const kLevels[] = {"debug", "info",     "notice", "warning",
                                          "error", "critical", "alert",  "emergency"};
    for (int i = 0; i < 8; ++i) {
        if (level == kLevels[i]) return i;
    }
    return -1;
}

}  // namespace mcph::mcp
