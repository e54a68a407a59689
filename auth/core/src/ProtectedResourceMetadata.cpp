#include "mcphost/auth/ProtectedResourceMetadata.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>
#include <stdexcept>

#include "mcphost/auth/ResourceUrl.h"

namespace mcph::auth {

namespace {

constexpr const char* kWellKnown = "/.well-known/oauth-protected-resource";

Poco::JSON::Array::Ptr toArray(const std::vector<std::string>& items) {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& item : items) arr->add(item);
    return arr;
}

}  // namespace

std::string ProtectedResourceMetadata::toJson() const {
    Poco::JSON::Object doc(Poco::JSON_PRESERVE_KEY_ORDER);
    doc.set("resource", resource);
    doc.set("authorization_servers", toArray({authorizationServer}));
    doc.set("scopes_supported", toArray(scopesSupported));
    doc.set("bearer_methods_supported", toArray({"header"}));
    if (!resourceName.empty()) doc.set("resource_name", resourceName);
    if (!resourceDocumentation.empty()) doc.set("resource_documentation", resourceDocumentation);
    std::ostringstream out;
    doc.stringify(out);
    return out.str();
}

ProtectedResourceMetadata::WellKnown ProtectedResourceMetadata::wellKnownFor(
    const std::string& resourceUrl) {
    const auto parts = ResourceUrl::split(resourceUrl);
    if (!parts || (parts->scheme != "https" && parts->scheme != "http")) {
        throw std::invalid_argument("resource URL must be an absolute http(s) URL: " + resourceUrl);
    }
    if (resourceUrl.find_first_of("?#") != std::string::npos) {
        throw std::invalid_argument("resource URL must not have a query or fragment: " +
                                    resourceUrl);
    }
    // RFC 9728 §3.1: insert the well-known segment between the host and the path, dropping a
    // terminating '/' of the path.
    std::string path = parts->path;
    if (!path.empty() && path.back() == '/') path.pop_back();
    WellKnown w;
    w.root = kWellKnown;
    w.pathInserted = std::string(kWellKnown) + path;
    w.metadataUrl = parts->scheme + "://" + parts->authority + w.pathInserted;
    return w;
}

}  // namespace mcph::auth
