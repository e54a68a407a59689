#include "mcphost/auth/JwksKeySet.h"

#include <Poco/JSON/Array.h>
#include <Poco/Logger.h>

#include "mcphost/auth/JsonFields.h"

namespace mcph::auth {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("mcp-host.auth"); }

}  // namespace

JwksKeySet::JwksKeySet(std::shared_ptr<HttpFetcher> fetcher, JwksOptions options)
    : fetcher_(std::move(fetcher)), options_(std::move(options)) {
    if (!options_.now) options_.now = systemClock();
}

std::optional<std::map<std::string, PublicKey>> JwksKeySet::parse(const std::string& json,
                                                                  std::size_t* skipped,
                                                                  std::string& error) {
    const auto doc = JsonFields::parseObject(json);
    if (!doc || !doc->has("keys") || doc->get("keys").type() != typeid(Poco::JSON::Array::Ptr)) {
        error = "not a JWK Set (no \"keys\" array)";
        return std::nullopt;
    }
    const auto keys = doc->getArray("keys");
    KeyMap out;
    std::size_t ignored = 0;
    for (std::size_t i = 0; i < keys->size(); ++i) {
        const auto jwk = keys->getObject(static_cast<unsigned>(i));
        std::string why;
        auto key = jwk ? PublicKey::fromJwk(*jwk, why) : std::nullopt;
        // First key wins on a duplicate kid: a later entry cannot shadow an earlier one.
        if (!key || out.count(key->kid())) {
            ++ignored;
            continue;
        }
        out.emplace(key->kid(), std::move(*key));
    }
    if (skipped) *skipped = ignored;
    return out;
}

bool JwksKeySet::refetchAllowed(TimePoint now) const {
    // A clock that went backwards counts as "long enough": never wedge the key set forever.
    return !lastAttempt_ || now < *lastAttempt_ || now - *lastAttempt_ >= options_.refetchCooldown;
}

void JwksKeySet::fetchAndInstall() {
    std::shared_ptr<const KeyMap> fresh;
    std::string error;
    try {
        const FetchResult fetched = fetcher_->get(options_.jwksUri);
        if (!fetched.ok()) {
            error = fetched.error;
        } else if (fetched.response->status != 200) {
            error = "JWKS endpoint answered HTTP " + std::to_string(fetched.response->status);
        } else {
            std::size_t skipped = 0;
            auto parsed = parse(fetched.response->body, &skipped, error);
            if (parsed && parsed->empty()) {
                // Treat an empty set as an outage, not as "revoke every key".
                error = "JWKS has no usable signing keys (" + std::to_string(skipped) + " skipped)";
            } else if (parsed) {
                fresh = std::make_shared<const KeyMap>(std::move(*parsed));
            }
        }
    } catch (const std::exception& e) {
        error = e.what();
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (fresh) {
            keys_ = fresh;
            keysLoadedAt_ = options_.now();
            lastError_.clear();
        } else {
            lastError_ = error;
        }
        fetching_ = false;
    }
    if (options_.events) options_.events->jwksFetch(fresh ? "ok" : "failed");
    fetchDone_.notify_all();
    if (fresh) {
        logger().information("Loaded %z signing keys from %s", fresh->size(), options_.jwksUri);
    } else {
        logger().warning("Could not load signing keys from %s: %s", options_.jwksUri, error);
    }
}

JwksKeySet::Lookup JwksKeySet::find(const std::string& kid) {
    std::unique_lock<std::mutex> lock(mutex_);
    bool fetchedThisCall = false;  // at most one fetch (ours or another thread's) per lookup
    for (;;) {
        const TimePoint now = options_.now();
        const std::shared_ptr<const KeyMap> keys = keys_;
        const PublicKey* hit = nullptr;
        if (keys) {
            const auto it = keys->find(kid);
            if (it != keys->end()) hit = &it->second;
        }
        const bool stale =
            keys && options_.maxAge.count() > 0 && now - keysLoadedAt_ >= options_.maxAge;
        if (hit && (!stale || fetching_ || fetchedThisCall)) return {*hit, {}, false};
        if (fetching_) {
            // Someone else is fetching: wait for their answer rather than fetching twice.
            fetchDone_.wait(lock, [this] { return !fetching_; });
            fetchedThisCall = true;
            continue;
        }
        if (!fetchedThisCall && refetchAllowed(now)) {
            fetching_ = true;
            lastAttempt_ = now;
            ++attempts_;
            lock.unlock();  // never hold the lock over network I/O
            fetchAndInstall();
            lock.lock();
            fetchedThisCall = true;
            continue;
        }
        if (hit) return {*hit, {}, false};
        if (!keys_)
            return {std::nullopt, "the authorization server's signing keys are unavailable", true};
        return {std::nullopt, "token signed with an unknown key", false};
    }
}

std::uint64_t JwksKeySet::fetchAttempts() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return attempts_;
}

std::size_t JwksKeySet::keyCount() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return keys_ ? keys_->size() : 0;
}

std::string JwksKeySet::lastError() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lastError_;
}

}  // namespace mcph::auth
