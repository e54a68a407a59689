#pragma once
// Outbound HTTP for the auth library (metadata discovery, JWKS, introspection). An interface so
// the verifiers do not depend on Poco's client classes and the policy (timeouts, size caps, TLS)
// lives in one place.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mcph::auth {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
    int status = 0;
    std::string contentType;
    std::string body;
};

// Either a response (any status; redirects are not followed) or a transport error.
struct FetchResult {
    std::optional<HttpResponse> response;
    std::string error;  // set when `response` is empty; never contains a request or response body

    bool ok() const { return response.has_value(); }
};

class HttpFetcher {
public:
    virtual ~HttpFetcher() = default;
    virtual FetchResult get(const std::string& url, const HttpHeaders& headers = {}) = 0;
    // POST with an already form-urlencoded body (Content-Type application/x-www-form-urlencoded).
    virtual FetchResult postForm(const std::string& url, const std::string& formBody,
                                 const HttpHeaders& headers = {}) = 0;
};

}  // namespace mcph::auth
