#pragma once
// A plain HTTP client for tests: one keep-alive connection to 127.0.0.1, raw requests and
// responses, so tests can send exactly the bytes a misbehaving client would.
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>

#include <map>
#include <string>

namespace mcph::testing {

struct HttpReply {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;

    std::string header(const std::string& lowerName) const;
    Poco::JSON::Object::Ptr json() const;  // the body, or the data of its first SSE event
};

class HttpClient {
public:
    explicit HttpClient(unsigned short port, std::string mcpPath = "/mcp");

    HttpReply request(const std::string& method, const std::string& path, const std::string& body = "",
                      std::map<std::string, std::string> headers = {});
    // POST to the MCP endpoint with the headers a well-behaved client sends.
    HttpReply post(const std::string& body, const std::string& sessionId = "", std::map<std::string, std::string> extra = {});
    // initialize + notifications/initialized; returns the session id.
    std::string openSession(const std::string& protocolVersion = "2025-11-25");
    // tools/call on an open session; returns the JSON-RPC result object (throws on error).
    Poco::JSON::Object::Ptr callTool(const std::string& sessionId, const std::string& tool, const std::string& argsJson);

    Poco::Net::HTTPClientSession& session() { return session_; }

private:
    Poco::Net::HTTPClientSession session_;
    std::string mcpPath_;
    int nextId_ = 1;
};

std::string rpcRequest(int id, const std::string& method, const std::string& paramsJson = "{}");

}  // namespace mcph::testing
