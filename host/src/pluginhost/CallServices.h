#pragma once
// What a running call can ask of the transport that carries it: progress, log messages to the
// client, cancellation, and input from the client. The MCP layer implements it per request;
// the host API functions of ABI 1.1 forward to it. Calls without a client (tests, resource
// reads on a JSON-only request) simply have none.
#include <mcphost/plugin.h>
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

namespace mcph::pluginhost {

struct InputAnswer {
    mcph_status status = MCPH_ERR_UNSUPPORTED;
    std::string json;  // the client's result (MCPH_OK) or error object (MCPH_ERR_FAILED)
};

class CallServices {
public:
    virtual ~CallServices() = default;
    virtual void progress(double progress, std::optional<double> total, const std::string& message) = 0;
    virtual void log(const std::string& level, const std::string& logger, const Poco::Dynamic::Var& data) = 0;
    virtual bool cancelled() = 0;
    virtual InputAnswer requestInput(const std::string& key, const std::string& method, const Poco::JSON::Object::Ptr& params) = 0;
    // Capabilities the call asked to use that the client did not declare (stateless revision:
    // a call that then fails as unsupported is answered with MissingRequiredClientCapability).
    virtual std::vector<std::string> missingCapabilities() const { return {}; }
};

// Receives notifications/resources/updated from any plugin thread (through ResourceUpdateRelay).
class ResourceUpdateSink {
public:
    virtual ~ResourceUpdateSink() = default;
    virtual void resourceUpdated(const std::string& uri) = 0;
};

}  // namespace mcph::pluginhost
