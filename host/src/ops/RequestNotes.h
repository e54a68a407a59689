#pragma once
// What the MCP endpoint learned about the request this thread is serving (its JSON-RPC method
// and, for tools/call, the tool), for the access log line written after the handler returns.
// Poco serves one request per thread at a time, so a thread-local record needs no lock and no
// plumbing through the handlers; the access-log wrapper clears it before each request.
#include <string>

namespace mcph::ops {

struct RequestNotes {
    std::string mcpMethod;
    std::string toolName;

    void clear() {
        mcpMethod.clear();
        toolName.clear();
    }

    static RequestNotes& current() {
        thread_local RequestNotes notes;
        return notes;
    }
};

}  // namespace mcph::ops
