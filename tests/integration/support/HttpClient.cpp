#include "support/HttpClient.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <sstream>
#include <stdexcept>

namespace mcph::testing {

std::string HttpReply::header(const std::string& lowerName) const {
    auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

Poco::JSON::Object::Ptr HttpReply::json() const {
    std::string payload = body;
    if (header("content-type").rfind("text/event-stream", 0) == 0) {
        auto pos = body.find("data: ");
        if (pos == std::string::npos) throw std::runtime_error("SSE body without data: " + body);
        payload = body.substr(pos + 6, body.find('\n', pos) - pos - 6);
    }
    Poco::JSON::Parser parser;
    return parser.parse(payload).extract<Poco::JSON::Object::Ptr>();
}

HttpClient::HttpClient(unsigned short port, std::string mcpPath) : session_("127.0.0.1", port), mcpPath_(std::move(mcpPath)) {
    session_.setKeepAlive(true);
    session_.setTimeout(Poco::Timespan(30, 0));
}

HttpReply HttpClient::request(const std::string& method, const std::string& path, const std::string& body,
                              std::map<std::string, std::string> headers) {
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == "POST") req.setContentLength(static_cast<std::streamsize>(body.size()));
    session_.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::istream& in = session_.receiveResponse(resp);
    HttpReply reply;
    reply.status = resp.getStatus();
    for (const auto& [k, v] : resp) reply.headers[Poco::toLower(k)] = v;
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
}

HttpReply HttpClient::post(const std::string& body, const std::string& sessionId, std::map<std::string, std::string> extra) {
    std::map<std::string, std::string> headers = {{"Content-Type", "application/json"},
                                                  {"Accept", "application/json, text/event-stream"}};
    if (!sessionId.empty()) {
        headers["Mcp-Session-Id"] = sessionId;
        headers["MCP-Protocol-Version"] = "2025-11-25";
    }
    for (auto& [k, v] : extra) headers[k] = v;
    return request("POST", mcpPath_, body, headers);
}

std::string HttpClient::openSession(const std::string& protocolVersion) {
    auto init = post(rpcRequest(nextId_++, "initialize",
                                R"({"protocolVersion":")" + protocolVersion +
                                    R"(","capabilities":{},"clientInfo":{"name":"it","version":"1"}})"));
    if (init.status != 200) throw std::runtime_error("initialize failed: " + std::to_string(init.status) + " " + init.body);
    std::string id = init.header("mcp-session-id");
    auto note = post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", id);
    if (note.status != 202) throw std::runtime_error("initialized notification: " + std::to_string(note.status));
    return id;
}

Poco::JSON::Object::Ptr HttpClient::callTool(const std::string& sessionId, const std::string& tool, const std::string& argsJson) {
    auto reply = post(rpcRequest(nextId_++, "tools/call", R"({"name":")" + tool + R"(","arguments":)" + argsJson + "}"), sessionId);
    auto msg = reply.json();
    if (!msg->has("result")) throw std::runtime_error("tools/call error: " + reply.body);
    return msg->getObject("result");
}

std::string rpcRequest(int id, const std::string& method, const std::string& paramsJson) {
    return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":")" + method + R"(","params":)" + paramsJson + "}";
}

}  // namespace mcph::testing
