#pragma once
// HttpFetcher over Poco's HTTP(S)ClientSession: bounded in time and size, no redirects,
// certificates verified against the system CA store.
#include <chrono>
#include <cstddef>

#include <Poco/Net/Context.h>

#include "mcphost/auth/HttpFetcher.h"

namespace mcph::auth {

struct HttpFetcherOptions {
    std::chrono::milliseconds connectTimeout{5000};
    std::chrono::milliseconds readTimeout{5000};  // per socket read
    // Whole exchange: a server dripping one byte per read timeout must not hold a request thread.
    std::chrono::milliseconds totalTimeout{10000};
    std::size_t maxResponseBytes = 1024 * 1024;
    std::string userAgent = "mcp-host";
};

class PocoHttpFetcher final : public HttpFetcher {
public:
    explicit PocoHttpFetcher(HttpFetcherOptions options = {});

    FetchResult get(const std::string& url, const HttpHeaders& headers = {}) override;
    FetchResult postForm(const std::string& url, const std::string& formBody,
                         const HttpHeaders& headers = {}) override;

private:
    FetchResult send(const std::string& method, const std::string& url, const std::string* body,
                     const HttpHeaders& headers);

    HttpFetcherOptions options_;
    Poco::Net::Context::Ptr tlsContext_;
};

}  // namespace mcph::auth
