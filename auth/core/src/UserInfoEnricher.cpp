#include "mcphost/auth/UserInfoEnricher.h"

#include <Poco/Logger.h>
#include <Poco/URI.h>

#include "mcphost/auth/AuthServerMetadata.h"
#include "mcphost/auth/JsonFields.h"

namespace mcph::auth {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("mcp-host.auth"); }

bool isLoopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

}  // namespace

UserInfoEnricher::UserInfoEnricher(std::shared_ptr<HttpFetcher> fetcher, std::string issuer,
                                   UserInfoOptions options, NowFunction now)
    : fetcher_(std::move(fetcher)),
      issuer_(std::move(issuer)),
      options_(std::move(options)),
      now_(std::move(now)) {
    if (!options_.endpoint.empty()) endpoint_ = options_.endpoint;
}

bool UserInfoEnricher::trustedEndpoint(const std::string& endpoint, const std::string& issuer) {
    try {
        const Poco::URI e(endpoint), i(issuer);
        if (e.getScheme() != i.getScheme() || e.getHost() != i.getHost() ||
            e.getPort() != i.getPort())
            return false;
        if (!e.getUserInfo().empty()) return false;
        return e.getScheme() == "https" || (e.getScheme() == "http" && isLoopback(e.getHost()));
    } catch (const Poco::Exception&) {
        return false;
    }
}

std::optional<std::string> UserInfoEnricher::endpoint() {
    std::lock_guard<std::mutex> lock(endpointMutex_);
    if (endpoint_ || now_() < nextDiscovery_) return endpoint_;
    // OIDC discovery names userinfo_endpoint; RFC 8414 documents usually do not, so every
    // candidate is read until one names it.
    std::string why = "no metadata document names a userinfo_endpoint";
    for (const auto& url : AuthServerMetadata::candidateUrls(issuer_)) {
        const auto got = fetcher_->get(url, {{"Accept", "application/json"}});
        if (!got.ok() || got.response->status != 200) continue;
        std::string error;
        const auto metadata = AuthServerMetadata::parse(got.response->body, issuer_, error);
        if (!metadata || metadata->userinfoEndpoint.empty()) continue;
        if (!trustedEndpoint(metadata->userinfoEndpoint, issuer_)) {
            why = "its userinfo_endpoint " + metadata->userinfoEndpoint +
                  " is not https (or loopback http) at the issuer's origin, so no token is sent "
                  "there";
            break;
        }
        endpoint_ = metadata->userinfoEndpoint;
        return endpoint_;
    }
    logger().warning(
        "identity enrichment: issuer %s: %s; email and name stay as the tokens give them", issuer_,
        why);
    nextDiscovery_ = now_() + options_.negativeTtl;
    return std::nullopt;
}

UserInfoEnricher::Answer UserInfoEnricher::fetch(const std::string& subject,
                                                 const std::string& accessToken) {
    Answer answer;
    const auto url = endpoint();
    if (!url) return answer;
    const auto got = fetcher_->get(
        *url, {{"Authorization", "Bearer " + accessToken}, {"Accept", "application/json"}});
    auto fail = [&](const std::string& why) {
        logger().warning("identity enrichment: userinfo for subject %s at %s failed: %s", subject,
                         issuer_, why);
        return answer;
    };
    if (!got.ok()) return fail(got.error);
    if (got.response->status != 200) return fail("HTTP " + std::to_string(got.response->status));
    const auto body = JsonFields::parseObject(got.response->body);
    if (!body)
        return fail("the answer is not a JSON object (a signed userinfo answer is not supported)");
    // OIDC Core 5.3.2: the answer's sub must be the token's, or it is someone else's.
    if (JsonFields::string(*body, "sub").value_or("") != subject)
        return fail("the answer names another subject");
    answer.ok = true;
    // An address the issuer says it has not verified is not passed on.
    if (JsonFields::boolean(*body, "email_verified").value_or(true)) {
        answer.email = JsonFields::string(*body, "email").value_or("");
    }
    answer.name = JsonFields::string(*body, "name").value_or("");
    if (answer.name.empty())
        answer.name = JsonFields::string(*body, "preferred_username").value_or("");
    answer.picture = JsonFields::string(*body, "picture").value_or("");
    return answer;
}

void UserInfoEnricher::evictLocked() {
    while (entries_.size() > options_.maxEntries && !recency_.empty()) {
        auto victim = entries_.find(recency_.back());
        if (victim != entries_.end() && victim->second.pending) break;  // someone waits on it
        if (victim != entries_.end()) entries_.erase(victim);
        recency_.pop_back();
    }
}

void UserInfoEnricher::enrich(AuthContext& ctx, const std::string& accessToken) {
    if (!ctx.authenticated || (!ctx.email.empty() && !ctx.name.empty())) return;
    const std::string& subject = ctx.userId;
    std::optional<Answer> cached;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!cached) {
            auto it = entries_.find(subject);
            if (it == entries_.end()) break;
            Entry& entry = it->second;
            if (entry.pending) {
                // Another request is asking for this subject right now: wait for its answer.
                done_.wait(lock);
                continue;
            }
            if (now_() >= entry.expires) {
                recency_.erase(entry.lru);
                entries_.erase(it);
                break;
            }
            recency_.splice(recency_.begin(), recency_, entry.lru);
            cached = entry.answer;
        }
        if (!cached) {
            recency_.push_front(subject);
            Entry pending;
            pending.lru = recency_.begin();
            entries_.emplace(subject, std::move(pending));
        }
    }
    if (!cached) {
        try {
            cached = fetch(subject, accessToken);
        } catch (const std::exception& e) {
            // Whatever happens, the pending entry is settled, or its waiters would wait forever.
            logger().warning("identity enrichment: userinfo for subject %s at %s failed: %s",
                             subject, issuer_, std::string(e.what()));
            cached = Answer{};
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            Entry& entry = entries_.at(subject);
            entry.pending = false;
            entry.answer = *cached;
            entry.expires = now_() + (cached->ok ? options_.ttl : options_.negativeTtl);
            evictLocked();
        }
        done_.notify_all();
    }
    if (ctx.email.empty()) ctx.email = cached->email;
    if (ctx.name.empty()) ctx.name = cached->name;
    if (ctx.picture.empty()) ctx.picture = cached->picture;
}

}  // namespace mcph::auth
