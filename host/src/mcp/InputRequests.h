#pragma once
// The 2026-07-28 way to ask the client for input (multi round-trip requests, SEP-2322): a call
// that needs input ends with an "input required" result naming every request of the round;
// the client retries the request with the answers. The host carries the answers of earlier
// rounds in `requestState`, signed so that a client cannot forge or alter them, so plugins
// simply ask again and get every answer at once.
#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mcp/RequestStateKey.h"
#include "pluginhost/CallServices.h"

namespace mcph::mcp {

class InputRequests {
public:
    // `clientCapabilities`: the request's _meta clientCapabilities. `params`: the request's
    // params (inputResponses and requestState are read from it). Throws RpcError (-32602) for
    // a requestState that fails its integrity check or malformed inputResponses.
    // `key` signs and checks the requestState; it must outlive this object.
    InputRequests(const RequestStateKey& key, Poco::JSON::Object::Ptr clientCapabilities,
                  const Poco::JSON::Object::Ptr& params, const std::string& method, const std::string& target);

    pluginhost::InputAnswer request(const std::string& key, const std::string& method, const Poco::JSON::Object::Ptr& params);

    bool anyPending() const { return pending_->size() > 0; }
    const std::vector<std::string>& missingCapabilities() const { return missing_; }
    // {"resultType":"input_required","inputRequests":{...},"requestState":"..."}
    Poco::JSON::Object::Ptr inputRequiredResult() const;

private:
    const RequestStateKey& key_;
    Poco::JSON::Object::Ptr capabilities_;
    std::string binding_;  // method and target: a state is only good for the request it came from
    std::map<std::string, Poco::JSON::Object::Ptr> answers_;
    Poco::JSON::Object::Ptr pending_ = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    std::vector<std::string> missing_;
};

}  // namespace mcph::mcp
