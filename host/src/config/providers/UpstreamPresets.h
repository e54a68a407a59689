#pragma once
// What the proxy-mode providers share. A provider starts from upstreamPreset(), derives the
// upstream URLs from its own keys (domain, tenant, …), and ends with finishUpstreamProvider(),
// which reads the keys every proxy provider accepts over what it derived, so any derived URL
// can be overridden.
#include <cstddef>
#include <string>

#include "config/HostConfig.h"
#include "config/reader/ObjectReader.h"
#include "mcphost/auth/server/AuthorizationServerOptions.h"

namespace mcph::config {

/// The options of a preset named `name`: an upstream with the OIDC default scopes. The host
/// issues its own tokens and keeps the upstream's to itself, so the upstream has no use for the
/// MCP URL and some refuse it (Entra v2: AADSTS901002, Auth0 with the resource compatibility
/// profile on): only the generic "proxy" forwards `resource` by default.
auth::server::AuthorizationServerOptions upstreamPreset(const char* name);

/// Every preset URL is derived from the preset's own keys unless the config overrides it.
bool derivedUrlsAllOverridden(const ObjectReader& auth);

/// A preset's host-name key (auth0 and okta `domain`): a bare DNS name, no scheme or path,
/// lower-cased. "" when missing (reported unless every URL it derives is overridden) or invalid.
std::string readDomain(ObjectReader& auth, const char* key, const char* example);

std::size_t errorCount(ObjectReader& auth);

/// Reads the shared authorization-server keys, then the upstream keys over what the preset
/// derived, and stores the result. `generic`: the "proxy" provider, which derives nothing.
/// `presetIncomplete`: the preset's own key was missing or bad (and said so).
void finishUpstreamProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir,
                            auth::server::AuthorizationServerOptions options, bool generic,
                            bool presetIncomplete);

}  // namespace mcph::config
