#pragma once
// GET of a client metadata document from a URL an anonymous caller chose, made safe to do from
// inside the host's network:
// - https only (http only when allowHttp, for tests); no redirects followed; 200 and a JSON
//   media type required; at most maxBytes read;
// - the host name is resolved once, every address is checked (CimdAddressPolicy) before any
//   connection, and the connection goes to a checked address; TLS still verifies the
//   certificate for the name (SNI included), so no second lookup can steer the request
//   elsewhere (DNS rebinding);
// - a connect timeout, a per-read timeout, and a total deadline that closes the connection
//   however slowly the server drips bytes (handshake and headers included).
// Name resolution itself uses the system resolver and its own timeouts.
#include <Poco/Net/Context.h>
#include <Poco/Net/IPAddress.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mcphost/auth/server/CimdClientIdUrl.h"

namespace mcph::auth::server {

struct SafeFetchOptions {
    bool allowHttp = false;              // tests only
    bool allowPrivateAddresses = false;  // tests only: loopback / private targets
    std::size_t maxBytes = 5 * 1024;
    std::chrono::milliseconds connectTimeout{3000};
    std::chrono::milliseconds readTimeout{3000};
    std::chrono::milliseconds totalTimeout{5000};
    std::string userAgent = "mcp-host";
    // Name resolution; empty means the system resolver. Tests use it to make a name resolve to
    // an address of their choice.
    std::function<std::vector<Poco::Net::IPAddress>(const std::string& host)> resolve;
    // TLS client context; null means the system CA store with verification (tests pass one that
    // trusts their own CA).
    Poco::Net::Context::Ptr tlsContext;
};

struct SafeFetchResult {
    std::optional<std::string> body;
    std::optional<std::chrono::seconds> maxAge;  // Cache-Control max-age; 0 for no-store/no-cache
    std::string error;  // when `body` is empty; never contains response content

    bool ok() const { return body.has_value(); }
};

class SafeDocumentFetcher {
  public:
    explicit SafeDocumentFetcher(SafeFetchOptions options = {});

    // Thread-safe; blocks for at most about resolve time + totalTimeout.
    SafeFetchResult fetch(const CimdClientIdUrl& url) const;

  private:
    SafeFetchOptions options_;
    Poco::Net::Context::Ptr tlsContext_;
};

}  // namespace mcph::auth::server
