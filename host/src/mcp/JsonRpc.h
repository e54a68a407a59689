#pragma once
// JSON-RPC 2.0 codec for MCP: classifies one incoming message and serializes replies. Pure
// functions; no I/O.
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>

namespace mcph::mcp {

namespace rpc {
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
// The stateless revision's own codes (2026-07-28, basic/index.mdx, error code allocation).
constexpr int kHeaderMismatch = -32020;
constexpr int kMissingRequiredClientCapability = -32021;
constexpr int kUnsupportedProtocolVersion = -32022;
}  // namespace rpc

enum class MessageKind { Request, Notification, Response, Invalid };

struct Message {
    MessageKind kind = MessageKind::Invalid;
    Poco::Dynamic::Var id;           // Request/Response: a string or an integer
    std::string method;              // Request/Notification
    Poco::JSON::Object::Ptr params;  // Request/Notification; an empty object when absent
    Poco::JSON::Object::Ptr result;  // Response: the result object (null for an error)
    Poco::JSON::Object::Ptr error;   // Response: the error object (null for a result)
    // Invalid: what to answer with (kParseError or kInvalidRequest) and why.
    int errorCode = 0;
    std::string errorMessage;
};

// Classifies one HTTP body. MCP allows exactly one message per POST, so a batch (array) is an
// invalid request.
Message parseMessage(const std::string& body);

std::string serializeResult(const Poco::Dynamic::Var& id, const Poco::JSON::Object::Ptr& result);
std::string serializeError(const Poco::Dynamic::Var& id, int code, const std::string& message,
                           const Poco::JSON::Object::Ptr& data = nullptr);
std::string serializeRequest(const std::string& id, const std::string& method, const Poco::JSON::Object::Ptr& params);
// A stable text key for a JSON-RPC id (strings and integers never collide).
std::string idKey(const Poco::Dynamic::Var& id);
std::string serializeNotification(const std::string& method, const Poco::JSON::Object::Ptr& params);

// Thrown by method handlers; becomes a JSON-RPC error response.
struct RpcError {
    int code;
    std::string message;
};

}  // namespace mcph::mcp
