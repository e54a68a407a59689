#pragma once

#include "config/reader/ObjectReader.h"
#include "mcphost/auth/server/UpstreamClient.h"

namespace mcph::config {

/// How one proxy-mode provider reads its upstream keys.
struct UpstreamKeyRules {
    bool allowHttp = false;  ///< auth.allowInsecureHttp
    /// "proxy" itself: nothing is derived, so `verify` is required.
    bool generic = false;
    /// The preset could not derive its URLs (its own key is missing and said so): do not
    /// report every URL it would have derived as missing too.
    bool presetIncomplete = false;
};

/// Reads the keys every upstream provider shares (endpoints, issuer, client credentials,
/// scopes, extraAuthorizeParams, pkce / forwardResource / nonce, verify) over `u`, which holds
/// what a preset derived, then checks that the result is complete and consistent.
void readUpstreamKeys(ObjectReader& auth, auth::server::UpstreamOptions& u, const UpstreamKeyRules& rules);

}  // namespace mcph::config
