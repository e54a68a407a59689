#pragma once
// The RFC 8414 document the host serves at /.well-known/oauth-authorization-server in proxy
// mode, shaped by what real clients need (docs/client-interop.md#authorization-server-metadata):
// issuer = the public URL (its origin, plus the path of a `server.publicUrl` such as
// https://example.com/tools behind a reverse proxy), endpoints at fixed paths under the issuer
// (older Claude builds guess them at the issuer's root), response_types_supported (the TS SDK fails without it), S256 (Zed aborts without it),
// refresh_token among the grants (VS Code and Zed intersect with it), `none` among the auth
// methods. Unset values are omitted, never null.
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

namespace mcph::auth::server {

struct AuthServerMetadataOptions {
    std::string publicUrl;  // the host's public base URL (server.publicUrl): the issuer
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
    // "scheme://host[:port][/path]" from a URL: scheme and host lowercased, default port
    // dropped, trailing '/' stripped, query and fragment ignored; nullopt when `publicUrl` is
    // not an absolute http(s) URL. The path stays: behind a proxy that serves the host under
    // https://example.com/tools, the issuer and every endpoint live under that base too.
    static std::optional<std::string> issuerFor(const std::string& publicUrl);
    // The issuer's path ("" for a bare origin, else "/tools"): every route is served under it.
    static std::string basePathOf(const std::string& issuer);
    // Where the document is served (RFC 8414 section 3.1: the well-known segment goes between
    // the origin and the issuer's path): "/.well-known/oauth-authorization-server/tools".
    static std::string metadataPathFor(const std::string& issuer);

    // Throws std::invalid_argument when publicUrl is unusable.
    static Poco::JSON::Object::Ptr build(const AuthServerMetadataOptions& options);
    static std::string json(const AuthServerMetadataOptions& options);

    // The endpoint paths under the issuer's base path, shared with the router so the two never
    // disagree.
    static constexpr const char* kMetadataPath = "/.well-known/oauth-authorization-server";
    static constexpr const char* kAuthorizePath = "/authorize";
    static constexpr const char* kTokenPath = "/token";
    static constexpr const char* kRegisterPath = "/register";
    static constexpr const char* kRevokePath = "/revoke";
    static constexpr const char* kJwksPath = "/.well-known/jwks.json";
};

}  // namespace mcph::auth::server
