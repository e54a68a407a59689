#pragma once

#include "config/reader/ObjectReader.h"
#include "mcphost/auth/server/AuthorizationServerOptions.h"

namespace mcph::config {

/// `auth.access`: the access policy of the host's authorization server (proxy providers and
/// `local`), as named rules:
///   "access": { "staff":  { "emailDomains": ["example.com"], "scopes": ["notes:read"] },
///               "admins": { "githubTeams": ["acme/ops"], "scopes": ["*"] } }
/// Each condition must be one the provider can establish (googleDomains: google; entraTenants,
/// entraGroups: entra; githubOrgs, githubTeams: github; claim: providers whose identity comes
/// from a verified token or OIDC userinfo). Call after the upstream keys are read: the rules
/// switch on what the sign-in must read (GitHub's organisation and team APIs with read:org,
/// named claims).
void readAccessPolicy(ObjectReader& auth, auth::server::AuthorizationServerOptions& o);

}  // namespace mcph::config
