#pragma once
// Who may hold a token of the host's authorization server, and with which MCP scopes: the
// operator's rules (config `auth.access`), applied to the facts established at sign-in
// (UserFacts) when a code is issued and again at every refresh, and to every stored grant when
// the host starts or the rules change.
//
// A rule admits a user when every condition it names holds (an AND); a user gets the union of
// the scopes of every rule that admits them, cut to the scopes the host offers. A user no rule
// admits is refused. Without rules (`unrestricted()`) anyone the sign-in establishes is admitted
// with every scope: right for `local` (the users file is the list), and said loudly at start-up
// for proxy mode, where it means any account of the upstream.
#include <optional>
#include <string>
#include <vector>

#include "mcphost/auth/server/UserFacts.h"

namespace mcph::auth::server {

struct AccessRule {
    std::string name;  // the rule's key in the config, for logs
    bool everyone = false;
    std::vector<std::string> users;          // subjects, exactly
    std::vector<std::string> emails;         // verified emails, case-insensitively
    std::vector<std::string> emailDomains;   // the verified email's domain, case-insensitively
    std::vector<std::string> googleDomains;  // Google `hd`
    std::vector<std::string> entraTenants;   // Entra `tid`
    std::vector<std::string> entraGroups;    // Entra `groups` (object ids)
    std::vector<std::string> githubOrgs;     // organisation logins, case-insensitively
    std::vector<std::string> githubTeams;    // "org/team-slug", case-insensitively
    std::string claimName;                   // with claimValues: a named claim holds one of them
    std::vector<std::string> claimValues;
    // The scopes this rule grants; "*" = every scope the host offers.
    std::vector<std::string> scopes;

    bool matches(const UserFacts& facts) const;
    bool hasCondition() const;
};

struct AccessDecision {
    bool admitted = false;
    std::vector<std::string> scopes;  // what the user may hold now, in the offered order
    // No limit beyond what the host offers (no policy, or a "*" rule): a stored grant keeps its
    // scopes even if the offer shrank for a while (a plugin being replaced).
    bool unlimited = false;
    std::string rule;                 // admitting rules' names, comma separated (logs)
};

class AccessPolicy {
public:
    static AccessPolicy unrestricted() { return AccessPolicy(); }
    explicit AccessPolicy(std::vector<AccessRule> rules) : rules_(std::move(rules)), restricted_(true) {}

    bool restricted() const { return restricted_; }
    const std::vector<AccessRule>& rules() const { return rules_; }

    // `offered`: every scope the host offers (the authorization server's scope list).
    AccessDecision decide(const UserFacts& facts, const std::vector<std::string>& offered) const;

    // What the rules need from the upstream beyond subject and email, so the sign-in reads only
    // that (GitHub's organisation and team APIs need the read:org scope).
    bool usesGithubOrgs() const;
    bool usesGithubTeams() const;
    std::vector<std::string> claimNames() const;

private:
    AccessPolicy() = default;
    std::vector<AccessRule> rules_;
    bool restricted_ = false;
};

// The scopes of `wanted` that are also in `allowed`, in `wanted`'s order.
std::vector<std::string> scopesWithin(const std::vector<std::string>& wanted,
                                      const std::vector<std::string>& allowed);

}  // namespace mcph::auth::server
