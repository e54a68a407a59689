#pragma once
// What the host knows about a signed-in user, for the access policy (AccessPolicy) to decide who
// may get a token and with which scopes. Gathered once at sign-in from sources the host trusts
// (a verified ID token or access token, the userinfo answer to the host's own upstream token, the
// upstream's API read with that token, or the local users file) and kept with the grant, so a
// refresh re-applies the current policy to the same facts.
//
// Every list is lowercased where the upstream compares case-insensitively (emails, domains,
// GitHub logins and team slugs) and kept as given otherwise (ids, claim values).
#include <map>
#include <string>
#include <vector>

namespace mcph::auth::server {

struct UserFacts {
    std::string subject;       // the stable user id (local: the username)
    std::string email;         // lowercase; only an address the upstream vouches for, else ""
    std::string hostedDomain;  // Google Workspace `hd` of a verified ID token ("" otherwise)
    std::string tenant;        // Entra ID `tid` of a verified token ("" otherwise)
    std::vector<std::string> groups;         // Entra `groups` claim (object ids)
    std::vector<std::string> organizations;  // GitHub organisation logins (read:org), lowercase
    std::vector<std::string> teams;          // GitHub teams as "org/team-slug", lowercase
    // Named claims of a verified token or userinfo answer the policy asks about (generic OIDC,
    // Auth0, Okta, …): each string value, or each string of an array value.
    std::map<std::string, std::vector<std::string>> claims;

    bool operator==(const UserFacts& o) const {
        return subject == o.subject && email == o.email && hostedDomain == o.hostedDomain &&
               tenant == o.tenant && groups == o.groups && organizations == o.organizations &&
               teams == o.teams && claims == o.claims;
    }

    // Stored with a grant as a JSON object (the store's `facts` column). fromJson of "" or of
    // anything unreadable gives empty facts, which no restricted policy admits: fail closed.
    std::string toJson() const;
    static UserFacts fromJson(const std::string& json);
};

}  // namespace mcph::auth::server
