#include "mcphost/auth/server/AccessGate.h"

#include <algorithm>
#include <cctype>

namespace mcph::auth::server {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

AccessGate::AccessGate(AccessPolicy policy, std::vector<std::string> offered,
                       std::shared_ptr<const LocalUserDirectory> localUsers)
    : policy_(std::move(policy)), offered_(std::move(offered)), localUsers_(std::move(localUsers)) {}

std::shared_ptr<const LocalUserDirectory> AccessGate::localUsers() const {
    std::lock_guard<std::mutex> lock(usersMutex_);
    return localUsers_;
}

void AccessGate::replaceLocalUsers(std::shared_ptr<const LocalUserDirectory> users) {
    std::lock_guard<std::mutex> lock(usersMutex_);
    localUsers_ = std::move(users);
}

AccessDecision AccessGate::admit(const UserFacts& facts) const {
    const std::shared_ptr<const LocalUserDirectory> users = localUsers();
    if (!users) return policy_.decide(facts, offered_);
    // Local: the users file is the authority on who exists and what they may hold; the facts
    // are re-read from it, so an email the operator changed is the one the policy sees.
    const auto user = users->find(facts.subject);
    if (!user) return AccessDecision{};
    UserFacts current;
    current.subject = user->username;
    current.email = lower(user->email);
    AccessDecision d = policy_.decide(current, offered_);
    if (d.admitted && user->scopes) {
        d.scopes = scopesWithin(d.scopes, *user->scopes);
        d.unlimited = false;
    }
    return d;
}

std::optional<std::vector<std::string>> AccessGate::review(const Grant& grant) const {
    const AccessDecision d = admit(grant.facts);
    if (!d.admitted) return std::nullopt;
    if (d.unlimited) return grant.scopes;
    return scopesWithin(grant.scopes, d.scopes);
}

GrantReview AccessGate::reviewAll(AuthStore& store, TimePoint now) const {
    GrantReview counts;
    for (const auto& active : store.activeGrants(now)) {
        const auto keep = review(active.grant);
        if (!keep) {
            store.endGrant(active.familyId);
            ++counts.ended;
        } else if (keep->size() < active.grant.scopes.size()) {
            store.narrowGrant(active.familyId, *keep);
            ++counts.narrowed;
        } else {
            ++counts.kept;
        }
    }
    return counts;
}

}  // namespace mcph::auth::server
