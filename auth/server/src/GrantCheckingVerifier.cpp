#include "mcphost/auth/server/GrantCheckingVerifier.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>

#include "mcphost/auth/Base64Url.h"

namespace mcph::auth::server {

GrantCheckingVerifier::GrantCheckingVerifier(std::shared_ptr<TokenVerifier> inner, AuthStore& store,
                                             std::chrono::milliseconds recheck, NowFunction now)
    : inner_(std::move(inner)), store_(store), recheck_(recheck), now_(std::move(now)) {}

std::string GrantCheckingVerifier::grantIdOf(const std::string& token) {
    const std::size_t first = token.find('.');
    const std::size_t second = first == std::string::npos ? first : token.find('.', first + 1);
    if (second == std::string::npos) return "";
    auto payload = Base64Url::decode(std::string_view(token).substr(first + 1, second - first - 1));
    if (!payload) return "";
    try {
        auto claims = Poco::JSON::Parser().parse(*payload).extract<Poco::JSON::Object::Ptr>();
        return claims && claims->has("sid") && claims->get("sid").isString() ? claims->getValue<std::string>("sid") : "";
    } catch (const std::exception&) {
        return "";
    }
}

VerifyResult GrantCheckingVerifier::verify(const std::string& token) {
    VerifyResult result = inner_->verify(token);
    if (!result.context) return result;
    const std::string grantId = grantIdOf(token);
    // Every token the host issues names its grant; one without is not ours to honour.
    const auto scopes = grantId.empty() ? std::nullopt : grantScopes(grantId);
    if (!scopes) return VerifyResult::fail("the token has been revoked");
    // A grant narrowed since the token was issued (the access policy or users file changed)
    // takes the withdrawn scopes from its live tokens too.
    for (const auto& s : result.context->scopes) {
        if (std::find(scopes->begin(), scopes->end(), s) == scopes->end())
            return VerifyResult::fail("the token's scopes have been withdrawn");
    }
    return result;
}

void GrantCheckingVerifier::forgetActiveGrants() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++forgets_;
    for (auto it = grants_.begin(); it != grants_.end();) {
        it = it->second.active ? grants_.erase(it) : std::next(it);
    }
}

void GrantCheckingVerifier::forgetGrant(const std::string& grantId) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++forgets_;
    if (grantId.empty()) {
        grants_.clear();
    } else {
        grants_.erase(grantId);
    }
}

std::optional<std::vector<std::string>> GrantCheckingVerifier::grantScopes(const std::string& grantId) {
    const TimePoint now = now_();
    const bool useCache = !trusted_ || trusted_();
    std::uint64_t forgetsBefore = 0;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        forgetsBefore = forgets_;
        auto it = grants_.find(grantId);
        if (useCache && it != grants_.end() &&
            (!it->second.active || now - it->second.checkedAt < recheck_)) {
            if (!it->second.active) return std::nullopt;
            return it->second.scopes;
        }
    }
    // Asked outside the lock: a slow store must not serialize every request behind it.
    const auto grant = store_.activeGrant(grantId, now);
    std::lock_guard<std::mutex> lock(mutex_);
    if (forgets_ != forgetsBefore) {
        // A change was announced while the store was asked: this answer may be older.
        if (!grant) return std::nullopt;
        return grant->scopes;
    }
    if (grants_.size() >= kMaxEntries) grants_.clear();
    grants_[grantId] = Entry{grant.has_value(), grant ? grant->scopes : std::vector<std::string>{}, now};
    if (!grant) return std::nullopt;
    return grant->scopes;
}

}  // namespace mcph::auth::server
