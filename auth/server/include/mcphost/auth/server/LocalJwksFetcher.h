#pragma once
// In proxy mode the host verifies its own tokens with the ordinary JwtVerifier. Rather than
// fetching its own JWKS over HTTP (a request to itself, through TLS and possibly a load balancer),
// the key set is handed this fetcher, which answers the one JWKS URL from memory and nothing else.
#include <string>

#include "mcphost/auth/HttpFetcher.h"

namespace mcph::auth::server {

class LocalJwksFetcher final : public HttpFetcher {
public:
    LocalJwksFetcher(std::string jwksUrl, std::string jwksJson)
        : url_(std::move(jwksUrl)), json_(std::move(jwksJson)) {}

    FetchResult get(const std::string& url, const HttpHeaders& headers = {}) override;
    FetchResult postForm(const std::string& url, const std::string& formBody, const HttpHeaders& headers = {}) override;

private:
    std::string url_;
    std::string json_;
};

}  // namespace mcph::auth::server
