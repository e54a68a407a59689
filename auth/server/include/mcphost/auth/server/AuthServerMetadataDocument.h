#pragma once
// The RFC 8414 document the host serves at /.well-known/oauth-authorization-server in proxy
// mode, shaped by what real clients need (docs/client-interop.md#authorization-server-metadata):
// issuer on the MCP origin with no path, endpoints at fixed root paths (older Claude builds guess
// them), response_types_supported (the TS SDK fails without it), S256 (Zed aborts without it),
// refresh_token among the grants (VS Code and Zed intersect with it), `none` among the auth
// methods. Unset values are omitted, never null.
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

namespace mcph::auth::server {

struct AuthServerMetadataOptions {
    std::string publicUrl;  // the host's public URL; any path is dropped for the issuer
    std::vector<std::string> scopesSupported;
    bool revocation = true;
    bool jwks = true;  // publish jwks_uri (the host's own signing key)
    // Only when `iss` really goes out on every authorization response (RFC 9207).
    bool issParameterSupported = true;
    // Only when Client ID Metadata Documents really work: advertising it moves most clients off DCR.
    bool clientIdMetadataDocumentSupported = false;
};

class AuthServerMetadataDocument {
public:
    // "scheme://host[:port]" from a URL, scheme and host lowercased, default port dropped;
    // nullopt when `publicUrl` is not an absolute http(s) URL.
    static std::optional<std::string> issuerFor(const std::string& publicUrl);

    // Throws std::invalid_argument when publicUrl is unusable.
    static Poco::JSON::Object::Ptr build(const AuthServerMetadataOptions& options);
    static std::string json(const AuthServerMetadataOptions& options);

    // The endpoint paths, shared with the router so the two never disagree.
    static constexpr const char* kMetadataPath = "/.well-known/oauth-authorization-server";
    static constexpr const char* kAuthorizePath = "/authorize";
    static constexpr const char* kTokenPath = "/token";
    static constexpr const char* kRegisterPath = "/register";
    static constexpr const char* kRevokePath = "/revoke";
    static constexpr const char* kJwksPath = "/.well-known/jwks.json";
};

}  // namespace mcph::auth::server
