#include "mcphost/auth/server/CimdClientLookup.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <condition_variable>

#include "mcphost/auth/server/ClientMetadataDocument.h"
#include "mcphost/auth/server/PinnedClientDocuments.h"

namespace mcph::auth::server {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("mcp-host.auth"); }

SafeFetchOptions fetchOptions(const CimdOptions& o) {
    SafeFetchOptions f;
    f.allowHttp = o.allowHttp;
    f.allowPrivateAddresses = o.allowPrivateAddresses;
    f.maxBytes = o.maxBytes;
    f.connectTimeout = o.connectTimeout;
    f.readTimeout = o.readTimeout;
    f.totalTimeout = o.totalTimeout;
    f.resolve = o.resolve;
    return f;
}

}  // namespace

struct CimdClientLookup::Entry {
    CimdResolution result;
    TimePoint expiresAt;
};

// One fetch in progress; lookups of the same URL wait for its result instead of fetching again.
struct CimdClientLookup::InFlight {
    std::condition_variable done;
    bool finished = false;
    CimdResolution result;
};

CimdClientLookup::CimdClientLookup(ClientLookup& registered, RedirectUriPolicy policy,
                                   CimdOptions options)
    : registered_(registered),
      policy_(std::move(policy)),
      options_(std::move(options)),
      fetcher_(fetchOptions(options_)) {
    // The pinned copies pass the same checks as a fetched document; one that does not (say the
    // policy refuses all its redirect URIs) is left out and fetched like any other.
    const TimePoint now = options_.now();
    for (const auto& doc : PinnedClientDocuments::all()) {
        auto parsed = ClientMetadataDocument::parse(doc.json, doc.clientId, policy_, 64 * 1024);
        if (parsed.document) {
            pinned_.emplace(doc.clientId, parsed.document->toClientRecord(now));
        } else {
            logger().warning("cimd: pinned document %s not used: %s", std::string(doc.clientId),
                             parsed.error);
        }
    }
}

CimdClientLookup::~CimdClientLookup() = default;

std::optional<ClientRecord> CimdClientLookup::find(const std::string& clientId) {
    return resolve(clientId).client;
}

std::optional<std::string> CimdClientLookup::documentHost(const std::string& clientId) {
    if (!CimdClientIdUrl::looksLikeUrl(clientId)) return std::nullopt;
    const auto url = CimdClientIdUrl::parse(clientId, /*allowHttp=*/true);
    if (!url) return std::nullopt;
    return url->host;
}

CimdResolution CimdClientLookup::resolve(const std::string& clientId) {
    CimdResolution out;
    if (!options_.enabled || !CimdClientIdUrl::looksLikeUrl(clientId)) {
        out.client = registered_.find(clientId);
        if (!out.client) out.error = "unknown client";
        return out;
    }
    std::string reason;
    const auto url = CimdClientIdUrl::parse(clientId, options_.allowHttp, &reason);
    if (!url) {
        out.error = reason;  // pure string check: nothing to cache
        return out;
    }
    if (const auto it = pinned_.find(clientId); it != pinned_.end()) {
        out.client = it->second;
        out.pinned = true;
        return out;
    }

    std::shared_ptr<InFlight> flight;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        if (const auto it = cache_.find(clientId);
            it != cache_.end() && options_.now() < it->second.expiresAt) {
            out = it->second.result;
            out.fromCache = true;
            return out;
        }
        if (const auto it = inFlight_.find(clientId); it != inFlight_.end()) {
            const auto waiting = it->second;
            waiting->done.wait(lock, [&] { return waiting->finished; });
            return waiting->result;
        }
        if (inFlight_.size() >= options_.maxConcurrentFetches) {
            out.error = "too many client documents being fetched; try again";
            return out;
        }
        flight = std::make_shared<InFlight>();
        inFlight_.emplace(clientId, flight);
    }

    std::chrono::seconds ttl{options_.failureCacheSeconds};
    CimdResolution result;
    try {
        result = fetchAndCheck(*url, ttl);
    } catch (const std::exception& e) {
        result = CimdResolution{};
        result.error = std::string("client document lookup failed: ") + e.what();
        ttl = std::chrono::seconds(options_.failureCacheSeconds);
    }
    if (!result.client) {
        logger().warning("cimd: client document %s refused: %s", clientId, result.error);
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        store(clientId, result, ttl);
        flight->result = result;
        flight->finished = true;
        inFlight_.erase(clientId);
    }
    flight->done.notify_all();
    return result;
}

CimdResolution CimdClientLookup::fetchAndCheck(const CimdClientIdUrl& url,
                                               std::chrono::seconds& ttl) {
    CimdResolution out;
    ttl = std::chrono::seconds(options_.failureCacheSeconds);
    const SafeFetchResult fetched = fetcher_.fetch(url);
    if (!fetched.ok()) {
        out.error = fetched.error;
        return out;
    }
    auto parsed = ClientMetadataDocument::parse(*fetched.body, url.url, policy_, options_.maxBytes);
    if (!parsed.document) {
        out.error = parsed.error;
        return out;
    }
    for (const auto& [uri, why] : parsed.document->rejectedRedirectUris) {
        logger().information("cimd: %s: redirect URI dropped: %s", url.url, why);
    }
    out.client = parsed.document->toClientRecord(options_.now());
    const auto ceiling = std::chrono::seconds(std::max(options_.cacheSeconds, 0));
    const auto floor =
        std::min(std::chrono::seconds(std::max(options_.minCacheSeconds, 0)), ceiling);
    ttl = std::clamp(fetched.maxAge.value_or(ceiling), floor, ceiling);
    return out;
}

void CimdClientLookup::store(const std::string& url, const CimdResolution& result,
                             std::chrono::seconds ttl) {
    const TimePoint now = options_.now();
    if (ttl.count() <= 0) {
        cache_.erase(url);
        return;
    }
    if (cache_.size() >= options_.maxCacheEntries && !cache_.count(url)) {
        for (auto it = cache_.begin(); it != cache_.end();) {
            it = now >= it->second.expiresAt ? cache_.erase(it) : std::next(it);
        }
        while (!cache_.empty() && cache_.size() >= options_.maxCacheEntries) {
            const auto soonest =
                std::min_element(cache_.begin(), cache_.end(), [](const auto& a, const auto& b) {
                    return a.second.expiresAt < b.second.expiresAt;
                });
            cache_.erase(soonest);
        }
    }
    if (options_.maxCacheEntries == 0) return;
    cache_[url] = Entry{result, now + ttl};
}

}  // namespace mcph::auth::server
