#pragma once
// The upstream token endpoint's answer to the code exchange, read defensively. We ask for JSON;
// GitHub answers form-encoded when it is not asked, and reports errors with status 200, so both
// shapes and both places of an OAuth `error` are understood. Nothing here ever puts a token or
// a body into an error message: only the status and a well-formed `error` code.
#include <optional>
#include <string>

#include "mcphost/auth/HttpFetcher.h"
#include "mcphost/auth/server/UpstreamClient.h"

namespace mcph::auth::server {

struct UpstreamTokenResponse {
    std::string accessToken;
    std::string idToken;  // "" when the upstream sent none

    // Classifies one POST to the token endpoint: transport errors, 5xx, 408 and 429 are
    // Unavailable; an OAuth error (any status) and any other 4xx are Rejected; a 2xx without a
    // usable access token, or with a token_type other than Bearer, is Rejected.
    static std::optional<UpstreamTokenResponse> fromFetch(const FetchResult& fetched,
                                                          UpstreamError& error);
};

}  // namespace mcph::auth::server
