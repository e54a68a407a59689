#include "mcphost/auth/server/EndpointMessages.h"

#include <Poco/String.h>

namespace mcph::auth::server {

std::string EndpointRequest::param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
}

std::string EndpointRequest::cookie(const std::string& name) const {
    auto it = cookies.find(name);
    return it == cookies.end() ? std::string() : it->second;
}

std::string EndpointResponse::header(const std::string& name) const {
    for (const auto& [n, v] : headers) {
        if (Poco::icompare(n, name) == 0) return v;
    }
    return "";
}

}  // namespace mcph::auth::server
