#include "support/McpCalls.h"

namespace mcph::testing {

HttpReply callToolWithBearer(unsigned short port, const std::string& bearer, const std::string& tool,
                             const std::map<std::string, std::string>& extra) {
    HttpClient c(port);
    std::map<std::string, std::string> headers = extra;
    headers["Authorization"] = "Bearer " + bearer;
    auto init = c.post(rpcRequest(1, "initialize",
                                  R"({"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}})"),
                       "", headers);
    if (init.status != 200) return init;
    const std::string sid = init.header("mcp-session-id");
    c.post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", sid, headers);
    return c.post(rpcRequest(2, "tools/call", R"({"name":")" + tool + R"("})"), sid, headers);
}

}  // namespace mcph::testing
