#pragma once
// An HttpFetcher for the token fuzzers that never touches the network: every GET answers with
// the fixed JWKS of jws_test_keys.inc (the keys that signed the seed tokens).
#include <string>
#include <utility>

#include "mcphost/auth/HttpFetcher.h"

namespace mcph::fuzz {

class StubFetcher final : public auth::HttpFetcher {
public:
    explicit StubFetcher(std::string body) : body_(std::move(body)) {}
    auth::FetchResult get(const std::string&, const auth::HttpHeaders& = {}) override {
        auth::FetchResult r;
        r.response = auth::HttpResponse{200, "application/json", body_};
        return r;
    }
    auth::FetchResult postForm(const std::string&, const std::string&, const auth::HttpHeaders& = {}) override {
        auth::FetchResult r;
        r.error = "the fuzzers make no POST requests";
        return r;
    }

private:
    std::string body_;
};

}  // namespace mcph::fuzz
