#pragma once
// ClientLookup that also knows clients by their Client ID Metadata Document URL (MCP 2025-11-25,
// draft-ietf-oauth-client-id-metadata-document). A client id that looks like an http(s) URL is a
// document id and never reaches the registration store; anything else goes to the wrapped
// lookup (dynamically registered clients).
//
// For a document id: the URL is checked (CimdClientIdUrl); a pinned copy of a well-known vendor
// document wins (PinnedClientDocuments); otherwise the document is fetched (SafeDocumentFetcher),
// checked (ClientMetadataDocument) and cached.
//
// Caching, so a flood of /authorize requests cannot turn the host into a request amplifier:
// - a good document for its Cache-Control max-age clamped to [minCacheSeconds, cacheSeconds]
//   (cacheSeconds when the answer has none; no-store gets the floor, not zero);
// - a failure (unreachable, refused address, invalid document) for failureCacheSeconds;
// - at most maxCacheEntries, expired entries evicted first, then the soonest to expire;
// - concurrent lookups of one URL share one fetch, and at most maxConcurrentFetches distinct
//   fetches run at once (beyond that a lookup fails at once and nothing is cached).
// Thread-safe.
#include <Poco/Net/IPAddress.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mcphost/auth/Clock.h"
#include "mcphost/auth/server/ClientLookup.h"
#include "mcphost/auth/server/RedirectUriPolicy.h"
#include "mcphost/auth/server/SafeDocumentFetcher.h"

namespace mcph::auth::server {

// Mirrors config::CimdSettings (enabled, allowPrivateAddresses, allowHttp, cacheSeconds,
// maxBytes); the rest have safe defaults.
struct CimdOptions {
    bool enabled = true;
    bool allowPrivateAddresses = false;  // tests only
    bool allowHttp = false;              // tests only
    int cacheSeconds = 3600;             // upper bound for a good document
    std::size_t maxBytes = 5 * 1024;
    int minCacheSeconds = 60;
    int failureCacheSeconds = 60;
    std::size_t maxCacheEntries = 1000;
    std::size_t maxConcurrentFetches = 4;
    std::chrono::milliseconds connectTimeout{3000};
    std::chrono::milliseconds readTimeout{3000};
    std::chrono::milliseconds totalTimeout{5000};
    NowFunction now = systemClock();
    // Name resolution override for tests; empty means the system resolver.
    std::function<std::vector<Poco::Net::IPAddress>(const std::string& host)> resolve;
};

struct CimdResolution {
    std::optional<ClientRecord> client;
    std::string error;  // why not, when `client` is empty (for logs and the error page)
    bool pinned = false;
    bool fromCache = false;
};

class CimdClientLookup final : public ClientLookup {
  public:
    // `registered` must outlive this object. `policy` judges the documents' redirect URIs
    // (give it the host's own callback URLs, as for /register).
    CimdClientLookup(ClientLookup& registered, RedirectUriPolicy policy, CimdOptions options = {});
    ~CimdClientLookup() override;

    std::optional<ClientRecord> find(const std::string& clientId) override;

    // find() with the reason for a refusal.
    CimdResolution resolve(const std::string& clientId);

    // The host of a metadata-document client id (what the consent page should show as the
    // client's verified identity, next to the self-asserted name), or null for other ids.
    static std::optional<std::string> documentHost(const std::string& clientId);

  private:
    struct Entry;
    struct InFlight;

    CimdResolution fetchAndCheck(const CimdClientIdUrl& url, std::chrono::seconds& ttl);
    void store(const std::string& url, const CimdResolution& result, std::chrono::seconds ttl);

    ClientLookup& registered_;
    RedirectUriPolicy policy_;
    CimdOptions options_;
    SafeDocumentFetcher fetcher_;
    std::map<std::string, ClientRecord> pinned_;

    std::mutex mutex_;
    std::map<std::string, Entry> cache_;
    std::map<std::string, std::shared_ptr<InFlight>> inFlight_;
};

}  // namespace mcph::auth::server
