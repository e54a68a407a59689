#pragma once
// The keys every native-mode provider shares (issuer, audience, jwksUrl, scopes, algorithms,
// leeway, tokenFormat, introspection, userinfo, claims), read into auth's own ResourceServerOptions.
#include <optional>
#include <string>

#include "config/HostConfig.h"
#include "config/reader/ObjectReader.h"
#include "mcphost/auth/ResourceServerOptions.h"

namespace mcph::config {

/// `derivedIssuer`: what a preset computed from its own keys (possibly "" when they were missing,
/// which the preset has reported); nullopt for plain "oidc", where `issuer` is required.
/// Stores the result in `out.settings`.
void readNativeProvider(ObjectReader& auth, AuthConfig& out, auth::ResourceServerOptions options,
                        const std::optional<std::string>& derivedIssuer);

/// A preset's own key, used to derive the issuer; optional when `issuer` overrides it.
std::string readPresetKey(ObjectReader& auth, const std::string& key);

}  // namespace mcph::config
