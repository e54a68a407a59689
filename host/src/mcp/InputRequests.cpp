#include "mcp/InputRequests.h"

#include <openssl/crypto.h>
#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "mcp/JsonRpc.h"

namespace mcph::mcp {
namespace {

constexpr std::size_t kMaxStateBytes = 1u << 20;

std::string base64url(const std::string& raw) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder << raw;
    encoder.close();
    return out.str();
}

std::optional<std::string> unbase64url(const std::string& text) {
    try {
        std::istringstream in(text);
        Poco::Base64Decoder decoder(in, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
        std::string raw((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
        return raw;
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

std::string toJson(const Poco::JSON::Object::Ptr& obj) {
    std::ostringstream out;
    obj->stringify(out);
    return out.str();
}

std::string capabilityFor(const std::string& method) {
    if (method == "sampling/createMessage") return "sampling";
    if (method == "elicitation/create") return "elicitation";
    return "roots";
}

}  // namespace

InputRequests::InputRequests(const RequestStateKey& key, Poco::JSON::Object::Ptr clientCapabilities,
                             const Poco::JSON::Object::Ptr& params, const std::string& method, const std::string& target)
    : key_(key), capabilities_(std::move(clientCapabilities)), binding_(method + "\n" + target) {
    if (params->has("requestState") && !params->isNull("requestState")) {
        const Poco::Dynamic::Var state = params->get("requestState");
        const std::string text = state.isString() ? state.toString() : std::string();
        const std::size_t dot = text.find('.');
        std::optional<std::string> payload;
        if (!text.empty() && text.size() <= kMaxStateBytes && dot != std::string::npos) {
            const std::string expected = key_.sign(text.substr(0, dot));
            const std::string given = text.substr(dot + 1);
            if (given.size() == expected.size() && CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0) {
                payload = unbase64url(text.substr(0, dot));
            }
        }
        if (!payload) throw RpcError{rpc::kInvalidParams, "Invalid params: requestState failed its integrity check"};
        try {
            Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
            auto obj = parser.parse(*payload).extract<Poco::JSON::Object::Ptr>();
            if (obj->optValue<std::string>("for", "") != binding_) {
                throw RpcError{rpc::kInvalidParams, "Invalid params: requestState belongs to another request"};
            }
            if (auto answers = obj->getObject("answers")) {
                for (const auto& [key, value] : *answers) {
                    if (value.type() == typeid(Poco::JSON::Object::Ptr)) answers_[key] = value.extract<Poco::JSON::Object::Ptr>();
                }
            }
        } catch (const Poco::Exception&) {
            throw RpcError{rpc::kInvalidParams, "Invalid params: requestState is malformed"};
        }
    }
    if (params->has("inputResponses") && !params->isNull("inputResponses")) {
        auto responses = params->getObject("inputResponses");
        if (!responses) throw RpcError{rpc::kInvalidParams, "Invalid params: \"inputResponses\" must be an object"};
        // Keys the server never asked for are ignored when it asks (SEP-2322 says ignore).
        for (const auto& [key, value] : *responses) {
            if (value.type() == typeid(Poco::JSON::Object::Ptr)) answers_[key] = value.extract<Poco::JSON::Object::Ptr>();
        }
    }
}

pluginhost::InputAnswer InputRequests::request(const std::string& key, const std::string& method, const Poco::JSON::Object::Ptr& params) {
    pluginhost::InputAnswer answer;
    if (!capabilities_ || !capabilities_->has(capabilityFor(method)) || capabilities_->isNull(capabilityFor(method))) {
        answer.status = MCPH_ERR_UNSUPPORTED;  // never ask for what the client cannot give
        const std::string capability = capabilityFor(method);
        if (std::find(missing_.begin(), missing_.end(), capability) == missing_.end()) missing_.push_back(capability);
        return answer;
    }
    auto it = answers_.find(key);
    if (it != answers_.end()) {
        answer.status = MCPH_OK;
        answer.json = toJson(it->second);
        return answer;
    }
    Poco::JSON::Object::Ptr request = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    request->set("method", method);
    request->set("params", params);
    pending_->set(key, request);
    answer.status = MCPH_ERR_INPUT_REQUIRED;
    return answer;
}

Poco::JSON::Object::Ptr InputRequests::inputRequiredResult() const {
    Poco::JSON::Object::Ptr answers = new Poco::JSON::Object;
    for (const auto& [key, value] : answers_) answers->set(key, value);
    Poco::JSON::Object::Ptr state = new Poco::JSON::Object;
    state->set("for", binding_);
    state->set("answers", answers);
    const std::string payload = base64url(toJson(state));

    Poco::JSON::Object::Ptr result = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    result->set("resultType", "input_required");
    result->set("inputRequests", pending_);
    result->set("requestState", payload + "." + key_.sign(payload));
    return result;
}

}  // namespace mcph::mcp
