#include "mcphost/auth/server/LocalJwksFetcher.h"

namespace mcph::auth::server {

FetchResult LocalJwksFetcher::get(const std::string& url, const HttpHeaders&) {
    FetchResult r;
    if (url != url_) {
        r.error = "only the host's own JWKS is served locally";
        return r;
    }
    r.response = HttpResponse{200, "application/json", json_};
    return r;
}

FetchResult LocalJwksFetcher::postForm(const std::string&, const std::string&, const HttpHeaders&) {
    FetchResult r;
    r.error = "the local JWKS fetcher does not POST";
    return r;
}

}  // namespace mcph::auth::server
