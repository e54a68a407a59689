#include "mcp/JsonRpc.h"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <sstream>

namespace mcph::mcp {
namespace {

Message invalid(int code, std::string why, Poco::Dynamic::Var id = {}) {
    Message m;
    m.errorCode = code;
    m.errorMessage = std::move(why);
    m.id = std::move(id);
    return m;
}

// JSON-RPC ids are strings or numbers; MCP forbids null and we only accept integral numbers,
// which is what every client sends.
bool isValidId(const Poco::Dynamic::Var& id) {
    if (id.isBoolean()) return false;  // Poco counts booleans as integers
    if (id.isString()) return true;
    if (id.isInteger()) return true;
    if (id.isNumeric()) {
        double d = id.convert<double>();
        return std::isfinite(d) && std::floor(d) == d;
    }
    return false;
}

}  // namespace

Message parseMessage(const std::string& body) {
    Poco::Dynamic::Var root;
    try {
        // Preserve key order: tool arguments reach plugins as the client wrote them.
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        root = parser.parse(body);
    } catch (const std::exception&) {
        // Poco's parser refuses top-level scalars that RFC 8259 allows: tell "valid JSON, but
        // not a message" (-32600) from "not JSON" (-32700). Only on this error path.
        try {
            Poco::JSON::Parser wrapped;
            wrapped.parse("[" + body + "]");
            return invalid(rpc::kInvalidRequest, "Invalid Request: the body must be a JSON-RPC object");
        } catch (const std::exception&) {
            return invalid(rpc::kParseError, "Parse error: the body is not valid JSON");
        }
    }
    if (root.type() == typeid(Poco::JSON::Array::Ptr)) {
        return invalid(rpc::kInvalidRequest, "Invalid Request: batches are not supported; send one message per POST");
    }
    if (root.type() != typeid(Poco::JSON::Object::Ptr)) {
        return invalid(rpc::kInvalidRequest, "Invalid Request: the body must be a JSON-RPC object");
    }
    auto obj = root.extract<Poco::JSON::Object::Ptr>();
    Poco::Dynamic::Var id = obj->has("id") ? obj->get("id") : Poco::Dynamic::Var();
    const bool hasId = obj->has("id");
    if (hasId && !isValidId(id)) id.clear();
    if (!obj->has("jsonrpc") || !obj->get("jsonrpc").isString() || obj->getValue<std::string>("jsonrpc") != "2.0") {
        return invalid(rpc::kInvalidRequest, "Invalid Request: \"jsonrpc\" must be \"2.0\"", id);
    }
    if (hasId && !isValidId(obj->get("id"))) {
        return invalid(rpc::kInvalidRequest, "Invalid Request: \"id\" must be a string or an integer");
    }

    Message m;
    m.id = id;
    if (obj->has("method")) {
        if (!obj->get("method").isString()) {
            return invalid(rpc::kInvalidRequest, "Invalid Request: \"method\" must be a string", id);
        }
        m.method = obj->getValue<std::string>("method");
        if (obj->has("params") && !obj->isNull("params")) {
            m.params = obj->getObject("params");
            if (!m.params) return invalid(rpc::kInvalidRequest, "Invalid Request: \"params\" must be an object", id);
        } else {
            m.params = new Poco::JSON::Object;
        }
        m.kind = hasId ? MessageKind::Request : MessageKind::Notification;
        return m;
    }
    if (hasId && (obj->has("result") || obj->has("error"))) {
        m.kind = MessageKind::Response;
        m.result = obj->getObject("result");
        m.error = obj->getObject("error");
        return m;
    }
    return invalid(rpc::kInvalidRequest, "Invalid Request: neither a request, a notification nor a response", id);
}

namespace {
std::string stringify(const Poco::JSON::Object& obj) {
    std::ostringstream out;
    obj.stringify(out);
    return out.str();
}
}  // namespace

std::string serializeResult(const Poco::Dynamic::Var& id, const Poco::JSON::Object::Ptr& result) {
    Poco::JSON::Object msg;
    msg.set("jsonrpc", "2.0");
    msg.set("id", id);
    msg.set("result", result ? result : Poco::JSON::Object::Ptr(new Poco::JSON::Object));
    return stringify(msg);
}

std::string serializeError(const Poco::Dynamic::Var& id, int code, const std::string& message,
                           const Poco::JSON::Object::Ptr& data) {
    Poco::JSON::Object::Ptr error = new Poco::JSON::Object;
    error->set("code", code);
    error->set("message", message);
    if (data) error->set("data", data);
    Poco::JSON::Object msg;
    msg.set("jsonrpc", "2.0");
    msg.set("id", id);  // an empty Var stringifies as null, as JSON-RPC wants for unknown ids
    msg.set("error", error);
    return stringify(msg);
}

std::string serializeNotification(const std::string& method, const Poco::JSON::Object::Ptr& params) {
    Poco::JSON::Object msg;
    msg.set("jsonrpc", "2.0");
    msg.set("method", method);
    if (params) msg.set("params", params);
    return stringify(msg);
}

}  // namespace mcph::mcp

namespace mcph::mcp {

std::string serializeRequest(const std::string& id, const std::string& method, const Poco::JSON::Object::Ptr& params) {
    Poco::JSON::Object msg;
    msg.set("jsonrpc", "2.0");
    msg.set("id", id);
    msg.set("method", method);
    if (params) msg.set("params", params);
    return stringify(msg);
}

std::string idKey(const Poco::Dynamic::Var& id) {
    if (id.isString()) return "s:" + id.toString();
    return "n:" + id.toString();
}

}  // namespace mcph::mcp
