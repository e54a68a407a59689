#include "mcphost/auth/server/AccessPolicy.h"

#include <algorithm>
#include <cctype>

namespace mcph::auth::server {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

bool containsIgnoringCase(const std::vector<std::string>& list, const std::string& value) {
    const std::string v = lower(value);
    return std::any_of(list.begin(), list.end(), [&](const std::string& s) { return lower(s) == v; });
}

bool anyIgnoringCase(const std::vector<std::string>& list, const std::vector<std::string>& values) {
    return std::any_of(values.begin(), values.end(),
                       [&](const std::string& v) { return containsIgnoringCase(list, v); });
}

// The domain of a verified email; "" when there is no email or it has no single '@'.
std::string emailDomain(const std::string& email) {
    const auto at = email.find('@');
    if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos) return "";
    return email.substr(at + 1);
}

}  // namespace

bool AccessRule::hasCondition() const {
    return everyone || !users.empty() || !emails.empty() || !emailDomains.empty() ||
           !googleDomains.empty() || !entraTenants.empty() || !entraGroups.empty() ||
           !githubOrgs.empty() || !githubTeams.empty() || !claimName.empty();
}

bool AccessRule::matches(const UserFacts& f) const {
    // A rule without conditions admits no one: `everyone` must be said.
    if (!hasCondition() || f.subject.empty()) return false;
    if (!users.empty() && !contains(users, f.subject)) return false;
    // Every email in the facts is one the upstream vouched for (UserFacts): an unverified
    // address never reaches here, so it can match no rule.
    if (!emails.empty() && (f.email.empty() || !containsIgnoringCase(emails, f.email))) return false;
    if (!emailDomains.empty()) {
        const std::string domain = emailDomain(f.email);
        if (domain.empty() || !containsIgnoringCase(emailDomains, domain)) return false;
    }
    if (!googleDomains.empty() &&
        (f.hostedDomain.empty() || !containsIgnoringCase(googleDomains, f.hostedDomain)))
        return false;
    if (!entraTenants.empty() && (f.tenant.empty() || !containsIgnoringCase(entraTenants, f.tenant)))
        return false;
    if (!entraGroups.empty() && !anyIgnoringCase(entraGroups, f.groups)) return false;
    if (!githubOrgs.empty() && !anyIgnoringCase(githubOrgs, f.organizations)) return false;
    if (!githubTeams.empty() && !anyIgnoringCase(githubTeams, f.teams)) return false;
    if (!claimName.empty()) {
        const auto it = f.claims.find(claimName);
        if (it == f.claims.end()) return false;
        const bool any = std::any_of(it->second.begin(), it->second.end(),
                                     [&](const std::string& v) { return contains(claimValues, v); });
        if (!any) return false;
    }
    return true;
}

AccessDecision AccessPolicy::decide(const UserFacts& facts,
                                    const std::vector<std::string>& offered) const {
    AccessDecision d;
    if (!restricted_) {
        d.admitted = !facts.subject.empty();
        d.unlimited = d.admitted;
        if (d.admitted) d.scopes = offered;
        return d;
    }
    std::vector<std::string> granted;
    for (const auto& rule : rules_) {
        if (!rule.matches(facts)) continue;
        d.admitted = true;
        d.rule += (d.rule.empty() ? "" : ",") + rule.name;
        if (contains(rule.scopes, "*")) {
            granted = offered;
            d.unlimited = true;
            continue;
        }
        for (const auto& s : rule.scopes) {
            if (!contains(granted, s)) granted.push_back(s);
        }
    }
    if (d.admitted) d.scopes = scopesWithin(offered, granted);
    return d;
}

bool AccessPolicy::usesGithubOrgs() const {
    return std::any_of(rules_.begin(), rules_.end(), [](const AccessRule& r) { return !r.githubOrgs.empty(); });
}

bool AccessPolicy::usesGithubTeams() const {
    return std::any_of(rules_.begin(), rules_.end(), [](const AccessRule& r) { return !r.githubTeams.empty(); });
}

std::vector<std::string> AccessPolicy::claimNames() const {
    std::vector<std::string> out;
    for (const auto& r : rules_) {
        if (!r.claimName.empty() && !contains(out, r.claimName)) out.push_back(r.claimName);
    }
    return out;
}

std::vector<std::string> scopesWithin(const std::vector<std::string>& wanted,
                                      const std::vector<std::string>& allowed) {
    std::vector<std::string> out;
    for (const auto& s : wanted) {
        if (contains(allowed, s) && !contains(out, s)) out.push_back(s);
    }
    return out;
}

}  // namespace mcph::auth::server
