// "github": OAuth only (no issuer, no ID token); the identity comes from its user API.
#include "config/providers/UpstreamPresets.h"

namespace mcph::config {

void readGithubProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    auto o = upstreamPreset("github");
    auto& u = *o.upstream;
    u.authEndpoint = "https://github.com/login/oauth/authorize";
    u.tokenEndpoint = "https://github.com/login/oauth/access_token";
    u.issuer.clear();
    u.scopes = {"read:user", "user:email"};
    u.nonce = false;
    u.identity = auth::server::UpstreamIdentityMethod::UserInfo;
    u.userInfoUrl = "https://api.github.com/user";
    u.userEmailsUrl = "https://api.github.com/user/emails";
    // Read only when the access policy names organisations or teams (it adds read:org then).
    u.userOrgsUrl = "https://api.github.com/user/orgs";
    u.userTeamsUrl = "https://api.github.com/user/teams";
    // `id` is GitHub's stable numeric user id (a login can be renamed and reused); `name` may be
    // null, and then the login stands in for it.
    u.claims.userId = "id";
    u.claims.email = "email";
    u.claims.name = "name";
    u.claims.nameFallback = "login";
    // /user shows whatever public email the user picked; the email trusted is the primary,
    // verified one of /user/emails.
    u.claims.emailVerified.clear();
    finishUpstreamProvider(auth, out, baseDir, std::move(o), false, false);
}

}  // namespace mcph::config
