#include "config/providers/AccessPolicyKeys.h"

#include <algorithm>
#include <cctype>

#include "mcphost/auth/server/ScopeResolver.h"

namespace mcph::config {
namespace {

using auth::server::AccessPolicy;
using auth::server::AccessRule;
using auth::server::AuthorizationServerOptions;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// A non-empty list of non-empty strings; `fold` lowercases (values compared case-insensitively).
std::vector<std::string> readList(ObjectReader& rule, const char* key, bool fold) {
    std::vector<std::string> out;
    auto list = rule.stringArray(key);
    if (!list) return out;
    if (list->empty()) rule.diagnostics().error(rule.pathOf(key), "is empty: list at least one value, or leave it out");
    for (const auto& item : *list) {
        if (item.value.empty() || item.value.find_first_of(" \t\r\n") != std::string::npos) {
            rule.diagnostics().error(item.keyPath, "not an accepted value: " + item.shown());
            continue;
        }
        out.push_back(fold ? lower(item.value) : item.value);
    }
    return out;
}

// Which provider can establish a condition: "" = every provider.
struct ConditionSource {
    const char* key;
    const char* provider;
};
constexpr ConditionSource kProviderConditions[] = {
    {"googleDomains", "google"}, {"entraTenants", "entra"}, {"entraGroups", "entra"},
    {"githubOrgs", "github"},    {"githubTeams", "github"},
};

void checkProvider(ObjectReader& rule, const AuthorizationServerOptions& o) {
    for (const auto& c : kProviderConditions) {
        if (rule.has(c.key) && o.providerName != c.provider) {
            rule.diagnostics().error(rule.pathOf(c.key), std::string("applies to the \"") + c.provider +
                                                             "\" provider only (this one is \"" +
                                                             o.providerName + "\")");
        }
    }
    // GitHub's /user fields (company, bio, …) are whatever the user typed, and local users have
    // no claims: neither is a source the host can trust for a rule.
    if (rule.has("claim") && (o.isLocal() || o.providerName == "github")) {
        rule.diagnostics().error(rule.pathOf("claim"),
                                 "needs a provider whose identity comes from a verified token or OIDC "
                                 "userinfo (not \"" + o.providerName + "\")");
    }
}

void readClaimCondition(ObjectReader& rule, AccessRule& r) {
    auto claim = rule.object("claim");
    if (!claim) return;
    if (auto name = claim->string("name")) r.claimName = name->value;
    r.claimValues = readList(*claim, "values", false);
    if (r.claimName.empty() || r.claimValues.empty()) {
        claim->diagnostics().error(claim->path(), "expected {\"name\": \"<claim>\", \"values\": [\"<value>\", ...]}");
        r.claimName.clear();
    }
    claim->finish();
}

void readScopes(ObjectReader& rule, AccessRule& r, const AuthorizationServerOptions& o) {
    auto list = rule.stringArray("scopes");
    if (!list) {
        if (!rule.has("scopes"))
            rule.diagnostics().error(rule.pathOf("scopes"),
                                     "is required: the scopes this rule grants ([\"*\"] for every scope offered, [] for none)");
        return;
    }
    for (const auto& item : *list) {
        if (item.value != "*" && !auth::server::ScopeResolver::isScopeToken(item.value)) {
            rule.diagnostics().error(item.keyPath, "not a scope: " + item.shown());
            continue;
        }
        if (item.value != "*" && !o.mcpScopes.empty() &&
            std::find(o.mcpScopes.begin(), o.mcpScopes.end(), item.value) == o.mcpScopes.end()) {
            rule.diagnostics().warning(item.keyPath, "is not in auth.mcpScopes, so no one is granted it");
        }
        r.scopes.push_back(item.value);
    }
}

AccessRule readRule(ObjectReader& rule, const std::string& name, const AuthorizationServerOptions& o) {
    AccessRule r;
    r.name = name;
    checkProvider(rule, o);
    if (auto everyone = rule.boolean("everyone")) r.everyone = *everyone;
    r.users = readList(rule, "users", false);
    r.emails = readList(rule, "emails", true);
    r.emailDomains = readList(rule, "emailDomains", true);
    r.googleDomains = readList(rule, "googleDomains", true);
    r.entraTenants = readList(rule, "entraTenants", true);
    r.entraGroups = readList(rule, "entraGroups", true);
    r.githubOrgs = readList(rule, "githubOrgs", true);
    r.githubTeams = readList(rule, "githubTeams", true);
    for (const auto& team : r.githubTeams) {
        const auto slash = team.find('/');
        if (slash == std::string::npos || slash == 0 || slash + 1 == team.size() ||
            team.find('/', slash + 1) != std::string::npos)
            rule.diagnostics().error(rule.pathOf("githubTeams"), "expected \"org/team-slug\", got \"" + team + "\"");
    }
    readClaimCondition(rule, r);
    readScopes(rule, r, o);
    if (!r.hasCondition()) {
        rule.diagnostics().error(rule.path(),
                                 "names no condition, so it admits no one (say \"everyone\": true to admit "
                                 "every account)");
    }
    if (r.everyone && o.upstream.has_value()) {
        rule.diagnostics().warning(rule.pathOf("everyone"),
                                   "admits ANY account of the " + o.providerName + " upstream");
    }
    rule.finish();
    return r;
}

}  // namespace

void readAccessPolicy(ObjectReader& auth, AuthorizationServerOptions& o) {
    auto access = auth.object("access");
    if (!access) {
        // Said by --check-config and at every start: with no policy the upstream decides alone.
        if (o.upstream && !auth.has("access")) {
            auth.diagnostics().warning(
                auth.pathOf("access"),
                "absent, so ANY account of the " + o.providerName +
                    " upstream can sign in, with every scope; add rules saying who may sign in "
                    "and with which scopes");
        }
        return;
    }
    std::vector<AccessRule> rules;
    for (const auto& name : access->keys()) {
        auto rule = access->object(name);
        if (!rule) continue;  // not an object: reported by the reader
        rules.push_back(readRule(*rule, name, o));
    }
    if (rules.empty()) {
        access->diagnostics().error(access->path(),
                                    "has no rule, so no one could sign in; add a rule or leave auth.access out");
    }
    access->finish();
    o.access = AccessPolicy(std::move(rules));
    if (!o.upstream) return;
    // The sign-in reads what the rules ask about, and only that.
    auto& u = *o.upstream;
    u.factClaims = o.access.claimNames();
    u.readOrganizations = o.access.usesGithubOrgs();
    u.readTeams = o.access.usesGithubTeams();
    if ((u.readOrganizations || u.readTeams) &&
        std::find(u.scopes.begin(), u.scopes.end(), "read:org") == u.scopes.end()) {
        u.scopes.push_back("read:org");
    }
}

}  // namespace mcph::config
